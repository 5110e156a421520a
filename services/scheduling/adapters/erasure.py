"""Scheduling's part of the right to be forgotten: the person's ids, and ids derived from them, replaced."""

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
            # A pair's id derives from its members' ids, and its sessions' ids from the pair's.
            pairs = await ids_linked_to(self.db, pid, "pairs", ["member_ids"])
            sessions = {s async for d in self.db["pairs"].find({"_id": {"$in": list(pairs)}}, {"session_ids": 1})
                        for s in d.get("session_ids", [])}
            await erase_ids(self.db, replacement_ids(erasure_id, {pid, *pairs, *sessions}))

        self.uow.stage(write)
