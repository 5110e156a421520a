"""Feedback's consecutive SessionScheduled, SessionCompleted and ParticipantEnrolled in a polled batch:
each run in one unit of work with merged writes, each event's effects once; a redelivered batch is absorbed, a replayed
event (its id lost by the inbox) has the effects one at a time has, and an erased member's events
create nothing, as before. Feedback's real subscribers on the shared consumer, its unit of work over dicts."""

import uuid
from datetime import UTC, datetime, timedelta

from aiokafka import TopicPartition

from feedback.entrypoints.consumers import build_kafka_router
from shared.contracts import ParticipantEnrolled, SessionCompleted, SessionScheduled, SurveyInvited, topic_for
from tests import factories
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.fakes.messaging import ServiceOnFakes

SCHEDULED, COMPLETED = topic_for(SessionScheduled), topic_for(SessionCompleted)
ENROLLED = topic_for(ParticipantEnrolled)
PROGRAMME = uuid.uuid4()


def series(sessions: int = 3, mentor: uuid.UUID | None = None) -> list[SessionScheduled]:
    pair, mentor, mentee = uuid.uuid4(), mentor or uuid.uuid4(), uuid.uuid4()
    start = datetime.now(UTC) + timedelta(days=7)
    return [SessionScheduled(session_id=uuid.uuid4(), pair_id=pair, programme_id=PROGRAMME, sequence=n,
                             starts_at=start + timedelta(weeks=n), duration_minutes=60, mentor_id=mentor,
                             mentee_id=mentee) for n in range(1, sessions + 1)]


class Feedback(ServiceOnFakes):
    def __init__(self) -> None:
        super().__init__("feedback", FakeFeedbackUnitOfWork(), build_kafka_router)

    def invited(self) -> list[tuple]:
        return sorted((e.event_id, e.survey_id, e.respondent_id, e.expires_at) for e in self.uow.published()
                      if isinstance(e, SurveyInvited))

    def planned(self) -> dict:
        return {k: (s.pair_id, s.mentor_id, s.mentee_id) for k, s in self.uow.planned.items.items()}


async def test_sessions_polled_together_are_counted_once_each_in_one_write():
    events = [*series(), *series(), *series()]
    alone, together = Feedback(), Feedback()
    for offset, event in enumerate(events):
        await alone.poll(event, first_offset=offset)
    await together.poll(*events)

    assert together.planned() == alone.planned() and len(together.planned()) == len(events)
    assert together.uow.planned.writes_together == 1 and alone.uow.planned.writes_together == 0
    assert together.inbox.processed.keys() == {e.event_id for e in events}
    assert together.kafka.committed[TopicPartition(SCHEDULED, 0)] == len(events)


async def test_a_redelivered_batch_is_absorbed_and_a_replayed_session_is_stored_as_one_at_a_time_stores_it():
    feedback, events = Feedback(), [*series(), *series()]
    await feedback.poll(*events[:4])
    before = feedback.planned()

    await feedback.poll(*events[:4])  # redelivered after a lost commit: the inbox absorbs it
    assert feedback.uow.planned.writes_together == 1 and feedback.planned() == before

    feedback.inbox.processed.pop(events[3].event_id)  # effects stored, id not recorded (a crash in between)
    await feedback.poll(*events[3:], first_offset=3)
    assert feedback.uow.planned.writes_together == 2
    assert feedback.planned() == {**before, **{e.session_id: (e.pair_id, e.mentor_id, e.mentee_id)
                                               for e in events[3:]}}
    assert len(feedback.planned()) == len(events)
    assert feedback.inbox.processed.keys() == {e.event_id for e in events}


async def test_an_erased_members_sessions_are_skipped_the_others_counted():
    erased = uuid.uuid4()
    gone, kept = series(mentor=erased), series()
    feedback = Feedback()
    feedback.uow.tombstones.ids.add(erased)

    await feedback.poll(*gone[:2], *kept, gone[2])

    assert set(feedback.planned()) == {e.session_id for e in kept}
    assert feedback.inbox.processed.keys() == {e.event_id for e in [*gone, *kept]}, "skipped, not retried"
    assert feedback.kafka.committed[TopicPartition(SCHEDULED, 0)] == len(gone) + len(kept)


def completed(mentor: uuid.UUID | None = None) -> SessionCompleted:
    return factories.session_completed(programme_id=PROGRAMME, **({"mentor_id": mentor} if mentor else {}))


async def test_completed_sessions_polled_together_are_recorded_and_invited_once_each_in_one_write():
    events = [completed() for _ in range(4)]
    alone, together = Feedback(), Feedback()
    for offset, event in enumerate(events):
        await alone.poll(event, first_offset=offset)
    await together.poll(*events)

    assert together.invited() == alone.invited() and len(together.invited()) == 2 * len(events)
    assert together.uow.sessions.items == alone.uow.sessions.items and len(together.uow.sessions.items) == 4
    assert (together.uow.invitations.writes_together, together.uow.sessions.writes_together) == (1, 1)
    assert alone.uow.invitations.writes_together == 0
    assert together.inbox.processed.keys() == {e.event_id for e in events}
    assert together.kafka.committed[TopicPartition(COMPLETED, 0)] == len(events)


async def test_a_replayed_completed_session_is_applied_together_and_invites_nobody_twice():
    feedback, events = Feedback(), [completed() for _ in range(4)]
    await feedback.poll(*events[:2])
    await feedback.poll(*events[:2])  # redelivered after a lost commit: the inbox absorbs it
    assert len(feedback.invited()) == 4 and feedback.uow.invitations.writes_together == 1
    first = feedback.invited()

    feedback.inbox.processed.pop(events[1].event_id)  # effects stored, id not recorded (a crash in between)
    await feedback.poll(*events[1:], first_offset=1)

    assert feedback.uow.invitations.writes_together == 2, "the replay stays in the run: no read first"
    assert len(feedback.invited()) == 2 * len(events) == len({i[1] for i in feedback.invited()})
    assert set(first) <= set(feedback.invited()), "the stored invitations and their events are left as they were"
    assert len(feedback.uow.sessions.items) == len(events)
    assert feedback.inbox.processed.keys() == {e.event_id for e in events}


async def test_an_erased_members_completed_sessions_create_nothing_the_others_are_invited():
    erased = uuid.uuid4()
    gone, kept = [completed(erased), completed(erased)], [completed(), completed()]
    feedback = Feedback()
    feedback.uow.tombstones.ids.add(erased)

    await feedback.poll(gone[0], *kept, gone[1])

    assert set(feedback.uow.sessions.items) == {e.session_id for e in kept}
    assert {i[2] for i in feedback.invited()} == {m for e in kept for m in (e.mentor_id, e.mentee_id)}
    assert feedback.uow.invitations.writes_together == 1
    assert feedback.inbox.processed.keys() == {e.event_id for e in [*gone, *kept]}


def enrolled(n: int) -> list[ParticipantEnrolled]:
    return [factories.participant_enrolled(PROGRAMME, ("mentor", "mentee")[i % 2], country=("FR", "DE")[i % 2])
            for i in range(n)]


async def test_enrollments_polled_together_are_kept_in_one_write_as_one_at_a_time_keeps_them():
    events = enrolled(4)
    alone, together = Feedback(), Feedback()
    for offset, event in enumerate(events):
        await alone.poll(event, first_offset=offset)
    await together.poll(*events)

    assert together.uow.participants.items == alone.uow.participants.items and len(alone.uow.participants.items) == 4
    assert (together.uow.participants.writes_together, alone.uow.participants.writes_together) == (1, 0)
    assert together.inbox.processed.keys() == {e.event_id for e in events}


async def test_an_enrollment_without_its_key_sends_the_run_one_at_a_time_and_an_erased_persons_is_dropped():
    events, feedback = enrolled(4), Feedback()
    feedback.uow.keys.delivered = False  # only the keys stored below
    for e in (events[0], events[1], events[3]):
        feedback.uow.keys.keys[e.participant_id] = factories.data_key(e.participant_id)
    feedback.uow.tombstones.ids.add(events[1].participant_id)

    await feedback.poll(*events)

    assert feedback.uow.participants.writes_together == 0, "the run went one event at a time"
    assert set(feedback.uow.participants.items) == {events[0].participant_id}
    assert events[2].event_id not in feedback.inbox.processed, "put back until its key is read"
    assert feedback.kafka.committed[TopicPartition(ENROLLED, 0)] == 2
