"""Makes a consumer idempotent: an event id is recorded once its effect is stored.

The inbox is bounded: ids go to one collection per ISO week (`processed_events_<year>w<week>`), a
lookup checks the last `KEPT_WEEKS` of them (by `_id`, so on any store it is an index lookup), and
older weeks are dropped whole, which costs nothing per document. The guarantee kept: an event
delivered again up to two weeks after it was processed is recognised. Kafka keeps a record for its
topic's retention (7 days by default), and redelivery only replays what the log still holds; a
topic whose retention is raised above two weeks needs a larger `KEPT_WEEKS`. Handlers also write
with deterministic ids, so even an older replay converges.
"""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

PREFIX = "processed_events_"
KEPT_WEEKS = 3  # this week and the two before: at least 14 days


def week_name(when: datetime) -> str:
    year, week, _ = when.isocalendar()
    return f"{PREFIX}{year}w{week:02d}"


class Inbox:
    def __init__(self, db: AsyncDatabase, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db, self.clock = db, clock
        self._pruned_at: str | None = None

    def _weeks(self) -> list[str]:
        now = self.clock()
        return [week_name(now - timedelta(weeks=k)) for k in range(KEPT_WEEKS)]

    async def seen(self, event_id: UUID) -> bool:
        # _id is the event id: the primary key is the unique index that makes recording race-free.
        found = await asyncio.gather(*(self.db[name].find_one({"_id": str(event_id)}, {"_id": 1})
                                       for name in self._weeks()))
        return any(doc is not None for doc in found)

    async def record(self, event_id: UUID, topic: str) -> None:
        weeks = self._weeks()
        if self._pruned_at != weeks[0]:
            await self._prune(weeks)
        try:
            await self.db[weeks[0]].insert_one({"_id": str(event_id), "topic": topic, "processed_at": self.clock()})
        except DuplicateKeyError:
            pass

    async def _prune(self, kept: list[str]) -> None:
        """Once a week per process: drops the weeks no lookup checks any more."""
        for name in await self.db.list_collection_names():
            if name.startswith(PREFIX) and name not in kept:
                await self.db.drop_collection(name)
        self._pruned_at = kept[0]
