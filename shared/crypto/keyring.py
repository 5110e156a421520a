"""A consuming service's copy of participants' data keys, delivered on `enrollment.participant-key.v1`.

The key record is published before any event sealed under it, but on another topic (Kafka keeps no
order between topics), so a handler may see a sealed event first. A missing key is then either
- on its way (the key topic is behind): `KeyNotYetDelivered`, a `Deferred`: the consumer puts the
  message back and reads it again shortly, never dead-lettering it for that
  (shared/messaging/deferrals.py);
- destroyed for good (the person was erased: the tombstone is here): `ParticipantForgotten`, a
  `Dropped`: logged, counted (`binome_events_dropped_total`), committed, nothing created for them.
A key that does not open the event's attributes makes the event bad in itself: it fails like any
other, so it is dead-lettered after the retries.
"""

from collections.abc import Mapping
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel
from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from shared.concurrently import all_settled
from shared.contracts import ParticipantKey, Sealed
from shared.crypto.sealing import unseal
from shared.messaging.outcomes import Deferred, Dropped
from shared.mongo.erasure_cache import bump
from shared.mongo.tombstones import Tombstones as MongoTombstones
from shared.mongo.updates import bulk_update
from shared.unit_of_work import Keys, Tombstones, UnitOfWork

M = TypeVar("M", bound=BaseModel)


class KeyNotYetDelivered(Deferred):
    def __init__(self, participant_id: UUID) -> None:
        super().__init__(f"waiting for the data key of participant {participant_id}")


class ParticipantForgotten(Dropped):
    def __init__(self, participant_id: UUID) -> None:
        super().__init__("participant_erased", f"participant {participant_id} was erased: their key is destroyed")


class MongoKeys:
    """One per unit of work: a key it has read is kept for the rest of it (a decision for many
    enrollments reads each member's key once), and forgotten when it destroys that key. Across units of
    work the process keeps keys while the erasure epoch stays (shared/mongo/erasure_cache.py): a key
    is destroyed only by an erasure, which moves the epoch after deleting it. A key document names its
    programme, so a programme's keys can be read in one query (`remember_programme`)."""

    def __init__(self, db: AsyncDatabase, uow: UnitOfWork, tombstones: MongoTombstones) -> None:
        self.collection, self.tombstones, self.uow = db["participant_keys"], tombstones, uow
        self.cache = tombstones.cache
        self.read: dict[UUID, str] = {}

    async def get(self, participant_id: UUID) -> str | None:
        if participant_id in self.read:
            return self.read[participant_id]
        epoch = await self.tombstones.epoch.read()
        key = self.cache.keys.get(participant_id) if self.tombstones.epoch.current else None
        if key is None:
            destroyed = self.cache.destroyed
            doc = await self.collection.find_one({"_id": str(participant_id)})
            if doc is None:
                return None
            key = doc["data_key"]
            if self._unchanged(epoch, destroyed):
                self.cache.keys.put(participant_id, key)
        self.read[participant_id] = key
        return key

    async def remember_programme(self, programme_id: UUID) -> int:
        """Keeps every key stored for the programme in the process's cache, read in one query, as `get`
        would keep each (a pool load: its arrivals then read no partner's key). Returns how many; none
        when they would not all fit in the cache (they would evict one another) or an erasure
        intervened (the epoch moved, or this process destroyed a key during the read)."""
        epoch = await self.tombstones.epoch.read()  # before the read: a key deleted before the bump is not found
        destroyed, table = self.cache.destroyed, self.cache.keys
        docs = await self.collection.find({"programme_id": str(programme_id)}, {"data_key": 1}) \
            .limit(table.size + 1).to_list()
        if len(docs) > table.size or not self._unchanged(epoch, destroyed):
            return 0
        for doc in docs:
            table.put(UUID(doc["_id"]), doc["data_key"])
        return len(docs)

    def _unchanged(self, epoch: int, destroyed: int) -> bool:
        """Whether what was read after this epoch read may be remembered under it (erasure_cache.py)."""
        return self.cache.epoch == epoch and self.cache.destroyed == destroyed

    async def erased(self, participant_id: UUID) -> bool:
        return await self.tombstones.erased(participant_id)

    def store(self, participant_id: UUID, data_key: str, programme_id: UUID | None = None) -> None:
        self.store_all({participant_id: data_key}, {participant_id: programme_id} if programme_id else None)

    def store_all(self, keys: dict[UUID, str], programmes: Mapping[UUID, UUID] | None = None) -> None:
        """Keeps many people's keys in one round trip (each with its programme, when given)."""
        programmes = programmes or {}
        writes = [UpdateOne({"_id": str(p)}, {"$set": {"data_key": k, **_programme(programmes.get(p))}}, upsert=True)
                  for p, k in keys.items()]
        if not writes:
            return

        async def write() -> None:
            destroyed = self.cache.destroyed
            await bulk_update(self.collection, writes, ordered=False)
            if self.tombstones.epoch.current and self.cache.destroyed == destroyed:
                # written after this unit of work found them not erased
                for participant_id, data_key in keys.items():
                    self.cache.keys.put(participant_id, data_key)

        self.uow.stage(write)

    def destroy(self, participant_id: UUID) -> None:
        self.read.pop(participant_id, None)
        self.cache.keys.pop(participant_id)
        self.cache.destroyed += 1

        async def write() -> None:
            self.cache.destroyed += 1  # a read overlapping the deletion (before or after it lands) keeps nothing
            await self.collection.delete_one({"_id": str(participant_id)})
            self.cache.keys.pop(participant_id)  # a concurrent unit of work may have read it meanwhile
            self.cache.destroyed += 1
            await bump(self.tombstones.collection, self.cache)

        self.uow.stage(write)


def _programme(programme_id: UUID | None) -> dict[str, str]:
    return {"programme_id": str(programme_id)} if programme_id else {}


async def opened(keys: Keys, participant_id: UUID, sealed: Sealed, model: type[M]) -> M:
    """The participant's attributes; raises KeyNotYetDelivered or ParticipantForgotten (see above)."""
    data_key = await keys.get(participant_id)
    if data_key is not None:
        return unseal(sealed, data_key, participant_id, model)
    if await keys.erased(participant_id):
        raise ParticipantForgotten(participant_id)
    raise KeyNotYetDelivered(participant_id)


async def receive_keys(events: list[ParticipantKey], uow: "KeyUnitOfWork") -> None:
    """Key records polled together: their tombstones read concurrently, the keys kept in one write. A run
    with a destroyed marker, or with someone twice, is received one record at a time, in order."""
    ids = [e.participant_id for e in events]
    if any(e.data_key is None for e in events) or len(set(ids)) < len(ids):
        for event in events:
            await receive_key(event, uow)
        return
    erased = await all_settled(uow.tombstones.erased(p) for p in ids)
    kept = [e for e, gone in zip(events, erased, strict=True) if not gone]
    uow.keys.store_all({e.participant_id: e.data_key for e in kept}, {e.participant_id: e.programme_id for e in kept})
    await uow.commit()


class KeyUnitOfWork(UnitOfWork):
    keys: Keys
    tombstones: Tombstones


async def receive_key(event: ParticipantKey, uow: KeyUnitOfWork) -> None:
    """Keeps a delivered key; a destroyed marker destroys it and counts as the erasure's tombstone."""
    if event.data_key is None:
        uow.tombstones.record(event.participant_id)
        uow.keys.destroy(event.participant_id)
    elif await uow.tombstones.erased(event.participant_id):
        return  # a replayed key record of someone already erased
    else:
        uow.keys.store(event.participant_id, event.data_key, event.programme_id)
    await uow.commit()
