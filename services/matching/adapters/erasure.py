"""Which of matching's ids derive from a person, for the right to be forgotten (shared/mongo/erasure.py)."""

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.erasure import ids_linked_to


async def pairs_of(db: AsyncDatabase, participant_id: str) -> set[str]:
    # A pair's id is derived from its members' ids.
    return await ids_linked_to(db, participant_id, "pairs", ["mentor_id", "mentee_id"])
