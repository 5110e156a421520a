"""Age of the oldest event still waiting in any aggregate's outbox (0 when all are published)."""

import json
from datetime import UTC, datetime

from pymongo.asynchronous.collection import AsyncCollection

# A backlog of more pending documents than this already pages; reading them all would not help.
SAMPLE = 500


async def oldest_pending_age_s(collections: list[AsyncCollection], now: datetime | None = None) -> float:
    now = now or datetime.now(UTC)
    oldest: datetime | None = None
    for collection in collections:
        async for doc in collection.find({"outbox_pending": True}, {"outbox.value": 1}).limit(SAMPLE):
            for entry in doc.get("outbox") or []:
                occurred = datetime.fromisoformat(json.loads(entry["value"])["occurred_at"])
                oldest = occurred if oldest is None or occurred < oldest else oldest
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
