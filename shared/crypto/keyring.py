"""A consuming service's copy of participants' data keys, delivered on `enrollment.participant-key.v1`.

The key record is published before any event sealed under it, but on another topic, so a handler
may see a sealed event first: it waits for the key (bounded), and gets None when the person was
erased meanwhile, in which case nothing is created for them.
"""

import asyncio
import time
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts import ParticipantKey, Sealed
from shared.crypto.sealing import unseal
from shared.mongo.tombstones import COLLECTION as TOMBSTONES
from shared.mongo.tombstones import digest
from shared.unit_of_work import Keys, Tombstones, UnitOfWork

M = TypeVar("M", bound=BaseModel)


class KeyNotDelivered(Exception):
    """No key after the wait: retried, then dead-lettered with this reason (the stream keeps flowing)."""


class MongoKeys:
    def __init__(self, db: AsyncDatabase, uow: UnitOfWork, wait_s: float = 10.0) -> None:
        self.collection, self.tombstones, self.uow, self.wait_s = db["participant_keys"], db[TOMBSTONES], uow, wait_s

    async def get(self, participant_id: UUID) -> str | None:
        deadline = time.monotonic() + self.wait_s
        while True:
            doc = await self.collection.find_one({"_id": str(participant_id)})
            if doc is not None:
                return doc["data_key"]
            if await self.tombstones.find_one({"_id": digest(participant_id)}, {"_id": 1}) is not None:
                return None
            if time.monotonic() > deadline:
                raise KeyNotDelivered(f"no data key for participant {participant_id} yet")
            await asyncio.sleep(0.1)

    def store(self, participant_id: UUID, data_key: str) -> None:
        self.uow.stage(lambda: self.collection.update_one(
            {"_id": str(participant_id)}, {"$set": {"data_key": data_key}}, upsert=True))

    def destroy(self, participant_id: UUID) -> None:
        self.uow.stage(lambda: self.collection.delete_one({"_id": str(participant_id)}))


async def opened(keys: Keys, participant_id: UUID, sealed: Sealed, model: type[M]) -> M | None:
    """The participant's attributes, or None when their key was destroyed (they were erased)."""
    data_key = await keys.get(participant_id)
    return None if data_key is None else unseal(sealed, data_key, participant_id, model)


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
        uow.keys.store(event.participant_id, event.data_key)
    await uow.commit()
