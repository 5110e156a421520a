"""Which of feedback's ids derive from a person, for the right to be forgotten (shared/mongo/erasure.py)."""

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.erasure import ids_linked_to


async def answers_and_pairs_of(db: AsyncDatabase, participant_id: str) -> set[str]:
    # Their pairs, those pairs' sessions, their surveys and invitations.
    sessions = await ids_linked_to(db, participant_id, "completed_sessions", ["mentor_id", "mentee_id"])
    sessions |= await ids_linked_to(db, participant_id, "planned_sessions", ["mentor_id", "mentee_id"])
    pairs: set[str] = set()
    for name in ("planned_sessions", "completed_sessions"):
        pairs |= {d["pair_id"] async for d in db[name].find({"_id": {"$in": list(sessions)}}, {"pair_id": 1})}
    answers: set[str] = set()
    for name in ("surveys", "end_surveys", "invitations"):
        answers |= await ids_linked_to(db, participant_id, name, ["respondent_id"])
    return sessions | pairs | answers
