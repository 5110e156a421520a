"""Age of the oldest write whose events still wait in an outbox (0 when all are published).

Read from the outbox markers (`shared/mongo/outbox_markers.py`): one small document per waiting
write, stamped when it was marked, so no aggregate collection is scanned. A marker written ahead of
its write (outbox_markers.py) has no stamp until a write lands under it, so it counts from then.
"""

from datetime import UTC, datetime

from pymongo.asynchronous.collection import AsyncCollection

# A backlog of more waiting writes than this already pages; reading them all would not help.
SAMPLE = 5000


async def oldest_pending_age_s(markers: AsyncCollection, now: datetime | None = None) -> float:
    now = now or datetime.now(UTC)
    oldest: datetime | None = None
    async for marker in markers.find({}, {"marked_at": 1}).limit(SAMPLE):
        marked = marker.get("marked_at")
        if isinstance(marked, datetime):
            marked = marked if marked.tzinfo else marked.replace(tzinfo=UTC)
            oldest = marked if oldest is None or marked < oldest else oldest
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
