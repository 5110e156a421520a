"""Erasure tombstones: once a participant is erased, no handler creates anything for them again.

A tombstone is keyed by a SHA-256 digest of the erased id, not the id itself: enough to recognise the
id when a late or reordered event names it, useless for finding anything else.
"""

import hashlib
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.by_id import fetch_by_id
from shared.unit_of_work import UnitOfWork

COLLECTION = "erasures"


def digest(participant_id: UUID | str) -> str:
    return hashlib.sha256(f"binome:erased:{participant_id}".encode()).hexdigest()


class Tombstones:
    """A unit of work's tombstone port (the same in every service)."""

    def __init__(self, db: AsyncDatabase, uow: UnitOfWork) -> None:
        self.collection, self.uow = db[COLLECTION], uow

    async def erased(self, *participant_ids: UUID | None) -> bool:
        wanted = [digest(p) for p in participant_ids if p is not None]
        if not wanted:
            return False
        return bool(await fetch_by_id(self.collection, wanted, {"_id": 1}))

    def record(self, participant_id: UUID) -> None:
        """Staged first in an erasure, before anything is scrubbed, so no handler sees a gap."""
        self.uow.stage(lambda: self.collection.update_one(
            {"_id": digest(participant_id)}, {"$setOnInsert": {"done": False}}, upsert=True))
