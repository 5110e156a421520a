"""Which of scheduling's ids derive from a person, for the right to be forgotten (shared/mongo/erasure.py)."""

from pymongo.asynchronous.database import AsyncDatabase

from scheduling.adapters.pair_documents import session_ids
from shared.mongo.erasure import ids_linked_to


async def pairs_and_sessions_of(db: AsyncDatabase, participant_id: str) -> set[str]:
    # A pair's id derives from its members' ids, and its sessions' ids from the pair's.
    pairs = await ids_linked_to(db, participant_id, "pairs", ["member_ids"])
    # The earlier shape also listed them in `session_ids` (adapters/pair_documents.py).
    sessions = {s async for d in db["pairs"].find({"_id": {"$in": list(pairs)}}, {"session_ids": 1, "sessions": 1})
                for s in [*d.get("session_ids", []), *session_ids(d)]}
    return pairs | sessions
