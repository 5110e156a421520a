"""Random participant ids per (programme, employee id) and one owner per e-mail, race-free.

Each is a document whose `_id` is the case-folded key, so the primary key's uniqueness decides a
race between two requests. An id is allocated the first time an employee is named, as a participant
or as someone's manager, so reporting lines survive any enrollment order. Erasure deletes the
person's documents: a later enrollment of the same employee is a new person with a new id.
"""

from uuid import UUID, uuid4

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from shared.unit_of_work import UnitOfWork


def _key(programme_id: UUID, kind: str, value: str) -> str:
    return f"{programme_id}:{kind}:{value}"


class MongoIdentities:
    def __init__(self, collection: AsyncCollection, uow: UnitOfWork) -> None:
        self.collection, self.uow = collection, uow

    async def _claim(self, programme_id: UUID, wanted: dict[str, str]) -> dict[str, UUID]:
        """`wanted`: document id -> participant id to store if nobody holds it; returns the holders."""
        held = {d["_id"]: UUID(d["participant_id"])
                async for d in self.collection.find({"_id": {"$in": list(wanted)}})} if wanted else {}
        new = [{"_id": i, "programme_id": str(programme_id), "participant_id": p}
               for i, p in wanted.items() if i not in held]
        if new:
            try:
                await self.collection.insert_many(new, ordered=False)
            except BulkWriteError as exc:
                if any(e.get("code") != 11000 for e in exc.details.get("writeErrors", [])):
                    raise
            async for d in self.collection.find({"_id": {"$in": [n["_id"] for n in new]}}):
                held[d["_id"]] = UUID(d["participant_id"])
        return held

    async def allocate(self, programme_id: UUID, employee_keys: list[str]) -> dict[str, UUID]:
        ids = {_key(programme_id, "employee", k): k for k in set(employee_keys)}
        held = await self._claim(programme_id, {i: str(uuid4()) for i in ids})
        return {ids[i]: p for i, p in held.items()}

    async def claim_emails(self, programme_id: UUID, claims: dict[str, UUID]) -> dict[str, UUID]:
        ids = {_key(programme_id, "email", k): k for k in claims}
        held = await self._claim(programme_id, {i: str(claims[k]) for i, k in ids.items()})
        return {ids[i]: p for i, p in held.items()}

    def release_email(self, programme_id: UUID, email_key: str, participant_id: UUID) -> None:
        self.uow.stage(lambda: self.collection.delete_one(
            {"_id": _key(programme_id, "email", email_key), "participant_id": str(participant_id)}))

    def forget(self, participant_id: UUID) -> None:
        self.uow.stage(lambda: self.collection.delete_many({"participant_id": str(participant_id)}))
