"""The real tombstone and key ports over the in-memory database: what the erasure-cache tests drive."""

import uuid

from shared.crypto.keyring import MongoKeys
from shared.mongo.tombstones import Tombstones
from shared.unit_of_work import UnitOfWork
from tests.fakes.documents import FakeDatabase


class KeyPortsUow(UnitOfWork):
    def __init__(self, db: FakeDatabase) -> None:
        super().__init__()
        self.tombstones = Tombstones(db, self)  # type: ignore[arg-type]
        self.keys = MongoKeys(db, self, self.tombstones)  # type: ignore[arg-type]


async def erase(db: FakeDatabase, participant_id: uuid.UUID) -> None:
    """What every service's erasure does first: the tombstone, then the key destroyed."""
    uow = KeyPortsUow(db)
    uow.tombstones.record(participant_id)
    uow.keys.destroy(participant_id)
    await uow.commit()
