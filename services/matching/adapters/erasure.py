"""Matching's part of the right to be forgotten: the person's ids, and their pairs' derived ids, replaced."""

from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.erasure import erase_ids, ids_linked_to, replacement_ids
from shared.unit_of_work import UnitOfWork


class MongoErasure:
    def __init__(self, db: AsyncDatabase, uow: UnitOfWork) -> None:
        self.db, self.uow = db, uow

    def erase(self, participant_id: UUID, erasure_id: UUID) -> None:
        async def write() -> None:
            pid = str(participant_id)
            # A pair's id is derived from its members' ids.
            pairs = await ids_linked_to(self.db, pid, "pairs", ["mentor_id", "mentee_id"])
            await erase_ids(self.db, replacement_ids(erasure_id, {pid, *pairs}))

        self.uow.stage(write)
