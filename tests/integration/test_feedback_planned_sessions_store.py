"""Feedback's planned sessions written together on the real store: one insert for new ones, and a
session already stored (a replay) replaced whole, as one upsert at a time replaces it."""

import uuid

from feedback.adapters.impact_documents import planned_to_doc
from feedback.adapters.mongo_unit_of_work import MongoFeedbackUnitOfWork
from feedback.domain.participants import PlannedSession


def planned(mentor: uuid.UUID | None = None) -> PlannedSession:
    return PlannedSession(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), mentor or uuid.uuid4(), uuid.uuid4())


async def test_new_sessions_are_inserted_and_a_stored_one_is_replaced_whole(db):
    stored = planned()
    await db.planned_sessions.insert_one({**planned_to_doc(stored), "mentor_id": "stale", "extra": 1})
    fresh = [planned() for _ in range(3)]

    uow = MongoFeedbackUnitOfWork(db, lambda: None)
    uow.planned.put_all([*fresh[:2], stored, fresh[2]])
    await uow.commit()

    docs = {d["_id"]: d async for d in db.planned_sessions.find({})}
    assert docs == {str(s.session_id): planned_to_doc(s) for s in [*fresh, stored]}
