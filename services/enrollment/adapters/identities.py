"""Random participant ids (and data keys) per (programme, employee id) and one owner per e-mail, race-free.

Each is a document whose `_id` is the case-folded key, so the primary key's uniqueness decides a
race between two requests. An id is allocated the first time an employee is named, as a participant
or as someone's manager, so reporting lines survive any enrollment order. Erasure deletes the
person's documents: a later enrollment of the same employee is a new person with a new id.
"""

from uuid import UUID, uuid4

from pymongo.asynchronous.collection import AsyncCollection

from enrollment.unit_of_work import Identity
from shared.crypto.sealing import new_data_key
from shared.mongo.by_id import fetch_by_id
from shared.mongo.inserts import insert_absent
from shared.unit_of_work import UnitOfWork

FEW = 100  # up to this many ids, one read by `_id` each; beyond, one pass over the programme's identities


def _key(programme_id: UUID, kind: str, value: str) -> str:
    return f"{programme_id}:{kind}:{value}"


class MongoIdentities:
    def __init__(self, collection: AsyncCollection, uow: UnitOfWork) -> None:
        self.collection, self.uow = collection, uow

    async def _claim(self, programme_id: UUID, wanted: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        """`wanted`: document id -> what to store if nobody holds it; returns what the holders stored.
        Inserted first, in one round trip: only the ids already held are read (none for a new
        import's e-mails; reading them all first made two passes over the identities per chunk, now one)."""
        if not wanted:
            return {}
        new = [{"_id": i, "programme_id": str(programme_id), **w} for i, w in wanted.items()]
        held = await insert_absent(self.collection, new)
        found = {n["_id"]: n for n in new if n["_id"] not in held}
        found.update(await self._held(programme_id, list(held)))
        return found

    async def _held(self, programme_id: UUID, ids: list[str]) -> dict[str, dict]:
        if not ids:
            return {}
        # FerretDB v1 serves only an exact `{_id: ...}` filter from an index and answers `$in` by
        # comparing each stored document (every programme's) with each listed id: one HTTP
        # enrollment then scanned every identity stored (with 15,000 stored, 5 enrollments/s queued
        # past a 60 s timeout). A few ids are read one by one, concurrently; beyond, one pass over the
        # programme's identities, looked up in a set here (cheaper than 700 reads by `_id` at 4,000
        # stored: bench/import_cost.py).
        if len(ids) <= FEW:
            return {d["_id"]: d for d in await fetch_by_id(self.collection, ids)}
        wanted = set(ids)
        return {d["_id"]: d async for d in self.collection.find({"programme_id": str(programme_id)})
                if d["_id"] in wanted}

    async def allocate(self, programme_id: UUID, employee_keys: list[str]) -> dict[str, Identity]:
        # The data key is allocated with the id, so a retried import seals with the key it published.
        ids = {_key(programme_id, "employee", k): k for k in set(employee_keys)}
        held = await self._claim(programme_id, {i: {"participant_id": str(uuid4()), "data_key": new_data_key()}
                                                for i in ids})
        return {ids[i]: Identity(UUID(d["participant_id"]), d["data_key"]) for i, d in held.items()}

    async def claim_emails(self, programme_id: UUID, claims: dict[str, UUID]) -> dict[str, UUID]:
        ids = {_key(programme_id, "email", k): k for k in claims}
        held = await self._claim(programme_id, {i: {"participant_id": str(claims[k])} for i, k in ids.items()})
        return {ids[i]: UUID(d["participant_id"]) for i, d in held.items()}

    def release_email(self, programme_id: UUID, email_key: str, participant_id: UUID) -> None:
        self.uow.stage(lambda: self.collection.delete_one(
            {"_id": _key(programme_id, "email", email_key), "participant_id": str(participant_id)}))

    def forget(self, participant_id: UUID) -> None:
        self.uow.stage(lambda: self.collection.delete_many({"participant_id": str(participant_id)}))
