"""The ticker's agenda: which pairs need a look, filed by the hour they need it, read by `_id`.

Before a pair is written, it is filed under its next check (`activity.next_check_at`): one bucket
document per UTC hour (`_id` "2026-03-23T08", `due`: pair id -> instant), and the hour in the
`hours` document. A tick reads `hours`, then only the buckets that are due, so an idle minute costs
two small reads instead of a pass over every pair. Filing before the write means a crash can only
leave an extra entry (the tick then finds nothing to do and files the pair again), never a lost one.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from scheduling.domain.activity import next_check_at
from scheduling.domain.model import Timing
from scheduling.domain.pair import PairSchedule
from shared.mongo.document_locks import document_key, locked
from shared.mongo.updates import bulk_update

HOURS = "hours"


def _hour(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H")


class MongoAgenda:
    def __init__(self, db: AsyncDatabase, timing: Timing, clock: Callable[[], datetime]) -> None:
        self.collection, self.timing, self.clock = db["tick_agenda"], timing, clock

    async def file(self, pair: PairSchedule, now: datetime | None = None) -> None:
        await self.file_many([pair], now)

    async def file_many(self, pairs: list[PairSchedule], now: datetime | None = None) -> None:
        """Files pairs: one upsert per hour bucket they fall in, then one of `hours`, in ONE ordered bulk
        write (a round trip, not one per bucket; the order keeps a crash to an extra entry)."""
        at = now or self.clock()
        buckets: dict[str, dict[str, str]] = {}
        for pair in pairs:
            if (when := next_check_at(pair, self.timing, at)) is not None:
                buckets.setdefault(_hour(when), {})[f"due.{pair.pair_id}"] = when.astimezone(UTC).isoformat()
        if not buckets:
            return
        async with locked([*(document_key(self.collection, b) for b in buckets), document_key(self.collection, HOURS)]):
            await bulk_update(self.collection, [
                *(UpdateOne({"_id": b}, {"$set": due}, upsert=True) for b, due in buckets.items()),
                UpdateOne({"_id": HOURS}, {"$addToSet": {"hours": {"$each": sorted(buckets)}}}, upsert=True)])

    async def due(self, now: datetime, limit: int) -> list[tuple[UUID, str]]:
        """Up to `limit` (pair id, filed instant) whose instant has come, earliest hours first."""
        hours = await self.collection.find_one({"_id": HOURS}) or {}
        found: list[tuple[UUID, str]] = []
        for bucket in sorted(h for h in hours.get("hours", []) if h <= _hour(now)):
            doc = await self.collection.find_one({"_id": bucket}) or {}
            found += [(UUID(pair_id), at) for pair_id, at in (doc.get("due") or {}).items()
                      if datetime.fromisoformat(at) <= now]
            if len(found) >= limit:
                break
        return found[:limit]

    async def seeded(self) -> bool:
        """False until the pairs stored before the agenda existed have been filed once."""
        return await _seeded(self.collection)

    async def mark_seeded(self) -> None:
        await _mark_seeded(self.collection)

    async def done_many(self, handled: list[tuple[UUID, str]]) -> None:
        """Drops the entries the tick handled, unless a pair was filed anew meanwhile: one read and one
        write per bucket, not per entry. A bucket holds every pair due in its hour (thousands after a
        large import), and FerretDB rewrites the whole document per update: one update per entry cost
        ~80 s of the store's CPU for 10,000 participants (docs/benchmarks.md)."""
        by_bucket: dict[str, dict[str, str]] = {}
        for pair_id, filed in handled:
            by_bucket.setdefault(_hour(datetime.fromisoformat(filed)), {})[str(pair_id)] = filed
        for bucket, entries in by_bucket.items():
            async with locked([document_key(self.collection, bucket), document_key(self.collection, HOURS)]):
                due = (await self.collection.find_one({"_id": bucket}) or {}).get("due") or {}
                gone = [pair_id for pair_id, filed in entries.items() if due.get(pair_id) == filed]
                if not gone:
                    continue
                if len(gone) < len(due):
                    await self.collection.update_one({"_id": bucket}, {"$unset": {f"due.{p}": "" for p in gone}})
                    continue
                await self.collection.delete_one({"_id": bucket})
                await self.collection.update_one({"_id": HOURS}, {"$pull": {"hours": bucket}})


async def mark_new_database_seeded(db: AsyncDatabase) -> None:
    """A database that holds no pair yet has none to seed: marked seeded at start, so its first tick does
    not page through every pair. That pass (`handlers/ticks.py::_seed`) pages with a sorted query that
    FerretDB v1 answers by scanning and sorting the whole collection per page; on a new database whose
    first tick came after a 10,000-person import it cost ~80 s of the store's CPU (docs/benchmarks.md).
    Every pair written since the agenda exists is filed by its writer, so only older pairs need the pass."""
    agenda = db["tick_agenda"]
    if not await _seeded(agenda) and await db["pairs"].find_one({}, {"_id": 1}) is None:
        await _mark_seeded(agenda)


async def _seeded(agenda: AsyncCollection) -> bool:
    return bool((await agenda.find_one({"_id": HOURS}) or {}).get("seeded"))


async def _mark_seeded(agenda: AsyncCollection) -> None:
    async with locked([document_key(agenda, HOURS)]):
        await agenda.update_one({"_id": HOURS}, {"$set": {"seeded": True}}, upsert=True)
