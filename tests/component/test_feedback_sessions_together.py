"""Feedback's consecutive SessionScheduled in a polled batch: counted in one unit of work with one
write, each session once; a redelivered batch is absorbed, a replayed session (its id lost by the
inbox) is stored as one at a time stores it, and an erased member's sessions are skipped as before.
Feedback's real subscribers on the shared consumer, its unit of work over dicts."""

import uuid
from datetime import UTC, datetime, timedelta

from aiokafka import TopicPartition
from prometheus_client import CollectorRegistry

from feedback.entrypoints.consumers import build_kafka_router
from shared.contracts import SessionScheduled, topic_for
from shared.messaging.consumer import EventConsumer
from shared.observability.metrics import DeliveryMetrics
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.fakes.memory import FakeInbox
from tests.fakes.messaging import RecordingBroker, RecordingConsumer, polled

SCHEDULED = topic_for(SessionScheduled)
PROGRAMME = uuid.uuid4()


def series(sessions: int = 3, mentor: uuid.UUID | None = None) -> list[SessionScheduled]:
    pair, mentor, mentee = uuid.uuid4(), mentor or uuid.uuid4(), uuid.uuid4()
    start = datetime.now(UTC) + timedelta(days=7)
    return [SessionScheduled(session_id=uuid.uuid4(), pair_id=pair, programme_id=PROGRAMME, sequence=n,
                             starts_at=start + timedelta(weeks=n), duration_minutes=60, mentor_id=mentor,
                             mentee_id=mentee) for n in range(1, sessions + 1)]


class Feedback:
    def __init__(self) -> None:
        self.uow, self.kafka, self.inbox = FakeFeedbackUnitOfWork(), RecordingConsumer(), FakeInbox()
        metrics = DeliveryMetrics.on(CollectorRegistry())
        self.consumer = EventConsumer("feedback", RecordingBroker(), self.inbox, metrics, backoff_ms=0)
        build_kafka_router(self.consumer, lambda: self.uow)

    async def poll(self, *events, first_offset: int = 0) -> None:
        await self.consumer.deliver(polled(*events, first_offset=first_offset, consumer=self.kafka))

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
