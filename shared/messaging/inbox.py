"""Makes a consumer idempotent: an event id is recorded once its effect is stored.

The inbox is bounded: ids go to one collection per ISO week (`processed_events_<year>w<week>`), a
lookup checks the last `KEPT_WEEKS` of them (by `_id`, so on any store it is an index lookup), and
older weeks are dropped whole, which costs nothing per document. The guarantee kept: an event
delivered again up to two weeks after it was processed is recognised (when the hosts' clocks agree
within `CLOCK_SKEW`, below). Kafka keeps a record for its topic's retention (7 days by default),
and redelivery only replays what the log still holds; a topic whose retention is raised above two
weeks needs a larger `KEPT_WEEKS`. Handlers also write
with deterministic ids, so even an older replay converges.

An event cannot have been processed before it occurred, so a lookup skips the weeks that ended
before its `occurred_at` less `CLOCK_SKEW`: a fresh event costs one lookup, not `KEPT_WEEKS`, and
only an event that occurred in the first `CLOCK_SKEW` of a week (Monday 00:00 UTC) also looks in the
week before. The margin is there because `occurred_at` is stamped by the producer's clock and the
week of a record by the consumer's: a lookup misses a record only if the consumer's clock ran behind
the producer's by more than `CLOCK_SKEW` when it recorded. NTP-synced hosts agree within
milliseconds and even an unsynced VM drifts seconds a day, so an hour is thousands of times the
disagreement that occurs; beyond it, a missed lookup re-runs a handler, which converges anyway
(deterministic ids, above).

A polled batch is checked and recorded together (`seen_many`, `record_many`): its lookups run
concurrently (FerretDB serves only an exact `{_id}` without a scan, so no `$in`), its records are
one insert.

Most events are not looked up at all: the consumer asks its memory first (applied_memory.py). Per
assigned partition, a process remembers the ids it recorded here since it was assigned the partition
at T (its clock). An event that occurred after T + `consumer_inbox_clock_skew_s` (the producer's clock)
is answered from that memory alone: "applied" if remembered, else "fresh". Why that is as strict as
a lookup, for the duplicates that occur (a redelivery after a crash or rebalance, a relay's republish
at a new offset with the same event id):
- such an event was created after T (the margin bounds how far the two clocks may disagree), so every
  copy of it was appended to the log after T; a relay's copy has the same key, hence the same
  partition (a partition count change rebalances every member: the memories start again);
- the process reads the partition in offset order from its committed position, which at T was at most
  the log's end, so it consumed every copy appended after T, earlier copies first; Kafka gives a
  partition to another member only after this one's revocation callback ran (the memory forgets the
  partition, and a later assignment starts again at its own T) or after this one was expelled, which
  aiokafka notices at its next heartbeat and drops the assignment: records are then neither handled
  nor committed (`RecordHandle.still_assigned`);
- so an earlier copy was applied, if at all, by this process since T; it is remembered once its id is
  recorded here (never before: when that insert fails, the store stays the only judge, as before);
- an event from before T + margin (a redelivery after a restart or rebalance, a backlog from before
  the assignment), or on a partition the memory does not hold, is looked up as before.
A full partition memory (`PER_PARTITION` ids) empties and starts again at now: bounded, and only
events from before the new start are looked up. What it gives up: a member expelled without noticing
(its heartbeats starved for the session timeout) delivers its polled batch until its next heartbeat
while the partition's next owner may apply the same events; a lookup could find them when the other
recorded first, the memory says "fresh". The lookup only narrowed that race (both lookups can miss);
deterministic ids and version checks are what make both effects converge, then as now.
The margin (`consumer_inbox_clock_skew_s`, 5 s by default; it bounds the sum of both clocks' errors)
is a thousand times what NTP-synced clocks disagree by; beyond it, an event created just before a
reassignment may be applied again, which converges the same way. Its cost: for that long after each
start or rebalance, every event is looked up.
"""

import asyncio
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.inserts import insert_absent

PREFIX = "processed_events_"
KEPT_WEEKS = 3  # this week and the two before: at least 14 days
CLOCK_SKEW = timedelta(hours=1)  # far above any NTP disagreement; why: the docstring
CONCURRENT_LOOKUPS = 16


def week_name(when: datetime) -> str:
    year, week, _ = when.isocalendar()
    return f"{PREFIX}{year}w{week:02d}"


class Inbox:
    def __init__(self, db: AsyncDatabase, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db, self.clock = db, clock
        self._pruned_at: str | None = None
        self._lookups = asyncio.Semaphore(CONCURRENT_LOOKUPS)

    def _weeks(self) -> list[str]:
        now = self.clock()
        return [week_name(now - timedelta(weeks=k)) for k in range(KEPT_WEEKS)]

    def _weeks_since(self, occurred_at: datetime | None) -> list[str]:
        weeks = self._weeks()
        if occurred_at is None:
            return weeks
        earliest = week_name(min(self.clock(), occurred_at - CLOCK_SKEW))
        return [weeks[0], *(name for name in weeks[1:] if name >= earliest)]  # "YYYYwWW" sorts by time

    async def seen(self, event_id: UUID, occurred_at: datetime | None = None) -> bool:
        # _id is the event id: the primary key is the unique index that makes recording race-free.
        found = await asyncio.gather(*(self._find(name, event_id) for name in self._weeks_since(occurred_at)))
        return any(doc is not None for doc in found)

    async def seen_many(self, events: Iterable[tuple[UUID, datetime | None]]) -> set[UUID]:
        """The ids among `events` (id, occurred_at) already processed."""
        events = list(events)
        found = await asyncio.gather(*(self.seen(event_id, occurred_at) for event_id, occurred_at in events))
        return {event_id for (event_id, _), hit in zip(events, found, strict=True) if hit}

    async def _find(self, name: str, event_id: UUID) -> object:
        async with self._lookups:
            return await self.db[name].find_one({"_id": str(event_id)}, {"_id": 1})

    async def record(self, event_id: UUID, topic: str) -> None:
        await self.record_many([(event_id, topic)])

    async def record_many(self, processed: Iterable[tuple[UUID, str]]) -> None:
        documents = [{"_id": str(event_id), "topic": topic, "processed_at": self.clock()}
                     for event_id, topic in processed]
        if not documents:
            return
        weeks = self._weeks()
        if self._pruned_at != weeks[0]:
            await self._prune(weeks)
        await insert_absent(self.db[weeks[0]], documents)  # ids recorded by an earlier delivery are fine

    async def _prune(self, kept: list[str]) -> None:
        """Once a week per process: drops the weeks no lookup checks any more."""
        for name in await self.db.list_collection_names():
            if name.startswith(PREFIX) and name not in kept:
                await self.db.drop_collection(name)
        self._pruned_at = kept[0]
