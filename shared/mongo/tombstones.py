"""Erasure tombstones: once a participant is erased, no handler creates anything for them again.

A tombstone is keyed by a SHA-256 digest of the erased id, not the id itself: enough to recognise the
id when a late or reordered event names it, useless for finding anything else.

A unit of work asks the store only what the process does not know yet: the erasure epoch once (once
per polled batch in a consumer), then the people it has no answer for at that epoch
(shared/mongo/erasure_cache.py says why that is as strict as reading every tombstone).
"""

import hashlib
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.by_id import fetch_by_id
from shared.mongo.erasure_batch import epoch_read
from shared.mongo.erasure_cache import EPOCH_ID, EVERY_TOMBSTONE_MAX, bump, cache_of
from shared.unit_of_work import UnitOfWork

COLLECTION = "erasures"


def digest(participant_id: UUID | str) -> str:
    return hashlib.sha256(f"binome:erased:{participant_id}".encode()).hexdigest()


class Tombstones:
    """A unit of work's tombstone port (the same in every service)."""

    def __init__(self, db: AsyncDatabase, uow: UnitOfWork) -> None:
        self.collection, self.uow = db[COLLECTION], uow
        self.cache = cache_of(db)
        self.epoch = epoch_read(self.collection, self.cache)  # the batch's, in a consumer
        uow.check_before_commit(self.epoch.confirm)  # a speculative epoch is confirmed before anything is written

    async def erased(self, *participant_ids: UUID | None) -> bool:
        wanted = [digest(p) for p in participant_ids if p is not None]
        if any(self.cache.erased.get(d) for d in wanted):
            return True  # a tombstone is for ever: no epoch needed
        if not wanted:
            return False
        epoch = await self.epoch.read()
        if await self._every_known(epoch):
            found = [d for d in wanted if d in self.cache.every]  # type: ignore[operator]
            for d in found:
                self.cache.erased.put(d)
            return bool(found)
        unknown = [d for d in wanted if not (self.epoch.current and self.cache.alive.get(d))]
        if not unknown:
            return False
        found = {doc["_id"] for doc in await fetch_by_id(self.collection, unknown, {"_id": 1})}
        for d in unknown:
            if d in found:
                self.cache.erased.put(d)
            elif self.cache.epoch == epoch:  # read after the epoch it is remembered under
                self.cache.alive.put(d)
        return bool(found)

    async def _every_known(self, epoch: int) -> bool:
        """Whether the cache holds every tombstone at this epoch, reading them once if they are few."""
        cache = self.cache
        if not self.epoch.current:
            return False
        if cache.every is None and cache.too_many_at != epoch:
            async with cache.loading:
                if cache.every is None and cache.epoch == epoch:
                    docs = await self.collection.find({}, {"_id": 1}).limit(EVERY_TOMBSTONE_MAX + 2).to_list()
                    every = frozenset(d["_id"] for d in docs if d["_id"] != EPOCH_ID)
                    if len(every) > EVERY_TOMBSTONE_MAX:
                        cache.too_many_at = epoch
                    elif cache.epoch == epoch:  # read after the epoch it is held under
                        cache.every = every
        return cache.every is not None and self.epoch.current

    def record(self, participant_id: UUID) -> None:
        """Staged first in an erasure, before anything is scrubbed, so no handler sees a gap; then the epoch
        moves, so every process forgets its "not erased" answers."""
        key = digest(participant_id)

        async def write() -> None:
            await self.collection.update_one({"_id": key}, {"$setOnInsert": {"done": False}}, upsert=True)
            self.cache.erased.put(key)
            self.cache.alive.pop(key)
            if self.cache.every is not None:
                self.cache.every |= {key}
            await bump(self.collection, self.cache)

        self.uow.stage(write)
