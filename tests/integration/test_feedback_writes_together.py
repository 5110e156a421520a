"""Feedback's writes merged for a polled batch, on the real store: planned sessions in one insert (one
already stored, a replay, replaced whole; one handled alone likewise); invitations with their
index entries and SurveyInvited in one insert (one stored by a race left as it is), listed by programme
and published by the relay."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry

from feedback.adapters.impact_documents import planned_to_doc
from feedback.adapters.mongo_unit_of_work import MongoFeedbackUnitOfWork
from feedback.domain import invitations as invite
from feedback.domain.model import CompletedSession
from feedback.domain.participants import PlannedSession
from feedback.published import invited
from shared.messaging.outbox_relay import OutboxRelay
from shared.observability.metrics import DeliveryMetrics
from tests import factories


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


async def test_one_fact_is_inserted_and_a_replayed_one_replaced_whole(db):
    stored, fresh = planned(), planned()
    await db.planned_sessions.insert_one({**planned_to_doc(stored), "mentor_id": "stale", "extra": 1})

    for session in (fresh, stored):
        uow = MongoFeedbackUnitOfWork(db, lambda: None)
        uow.planned.put(session)  # one event handled alone: an insert, a replace only for the stored one
        await uow.commit()

    docs = {d["_id"]: d async for d in db.planned_sessions.find({})}
    assert docs == {str(s.session_id): planned_to_doc(s) for s in (fresh, stored)}


async def test_invitations_added_together_are_listed_and_published_once_each(db):
    cause, programme = factories.session_completed(), uuid.uuid4()
    sessions = [CompletedSession(uuid.uuid4(), uuid.uuid4(), programme, "FR", uuid.uuid4(), uuid.uuid4(),
                                 datetime.now(UTC), 1) for _ in range(3)]
    invitations = [i for s in sessions for i in invite.after_session(s, timedelta(days=14))]
    first = MongoFeedbackUnitOfWork(db, lambda: None)
    first.invitations.add(invitations[0], [invited(invitations[0], cause)])  # stored by a race
    await first.commit()

    uow = MongoFeedbackUnitOfWork(db, lambda: None)
    uow.invitations.add_all([(i, [invited(i, cause)]) for i in invitations])
    await uow.commit()

    listed, total = await uow.invitations.page(programme, None, "session", 0, 50)
    assert total == len(invitations) and {i.survey_id for i in listed} == {i.survey_id for i in invitations}
    sent: list[dict] = []

    async def publish(entry: dict) -> None:
        sent.append(entry)
        await asyncio.sleep(0)

    await OutboxRelay(db, ["invitations"], publish, DeliveryMetrics.on(CollectorRegistry())).run_once(sweep=True)
    assert sorted(e["event_id"] for e in sent) == sorted(str(invited(i, cause).event_id) for i in invitations)
    assert await db.outbox_markers.count_documents({}) == 0, "nothing waits (entries stay till the next write)"
