"""Feedback's part of the right to be forgotten: ids replaced everywhere, free text dropped."""

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
            # Ids derived from the person: their pairs, those pairs' sessions, their surveys and invitations.
            sessions = await ids_linked_to(self.db, pid, "completed_sessions", ["mentor_id", "mentee_id"])
            sessions |= await ids_linked_to(self.db, pid, "planned_sessions", ["mentor_id", "mentee_id"])
            pairs = {d["pair_id"] async for d in self.db["planned_sessions"].find({"_id": {"$in": list(sessions)}})}
            pairs |= {d["pair_id"] async for d in self.db["completed_sessions"].find({"_id": {"$in": list(sessions)}})}
            answers = set()
            for name in ("surveys", "end_surveys", "invitations"):
                answers |= await ids_linked_to(self.db, pid, name, ["respondent_id"])
            replacements = replacement_ids(erasure_id, {pid, *pairs, *sessions, *answers})
            await erase_ids(self.db, replacements, drop_fields=["comment"])

        self.uow.stage(write)
