"""The shared consumer on FastStream's in-memory broker: decode, dedupe, retry, dead-letter."""

import uuid

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage
from prometheus_client import CollectorRegistry

from matching.entrypoints.consumers import build_kafka_router
from shared.contracts import ParticipantEnrolled, dlq_topic, topic_for
from shared.messaging.consumer import EventConsumer
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.fakes.memory import FakeInbox

TOPIC = topic_for(ParticipantEnrolled)


class Harness:
    def __init__(self) -> None:
        self.broker = KafkaBroker("in-memory")
        self.inbox = FakeInbox()
        self.metrics = DeliveryMetrics.on(CollectorRegistry())
        self.consumer = EventConsumer("matching", self.broker, self.inbox, self.metrics, max_attempts=3, backoff_ms=0)
        self.dead: list[tuple[bytes, dict]] = []

        @self.broker.subscriber(dlq_topic("matching", TOPIC), group_id="test-dlq")
        async def capture(msg: KafkaMessage) -> None:
            self.dead.append((msg.body, dict(msg.headers)))

    async def send(self, test_broker, event_or_bytes) -> None:
        if isinstance(event_or_bytes, bytes):
            await test_broker.publish(event_or_bytes, topic=TOPIC, key=b"k")
            return
        for event in factories.with_keys(event_or_bytes):  # the data key first, as enrollment publishes it
            await test_broker.publish(event.model_dump_json().encode(), topic=topic_for(event), key=b"k")


@pytest.fixture
def harness() -> Harness:
    return Harness()


async def test_two_enrollments_make_a_pair_and_a_duplicate_changes_nothing(harness: Harness):
    uow = FakeMatchingUnitOfWork()
    harness.broker.include_router(build_kafka_router(harness.consumer, lambda: uow))
    programme = uuid.uuid4()
    mentee = factories.participant_enrolled(programme, "mentee")
    async with TestKafkaBroker(harness.broker) as br:
        await harness.send(br, mentee)
        await harness.send(br, factories.participant_enrolled(programme, "mentor"))
        await harness.send(br, mentee)

    assert len(uow.pairs.items) == 1 and len(uow.candidates.items) == 2
    assert harness.inbox.processed.keys() >= {mentee.event_id}
    assert harness.metrics.duplicates.labels(TOPIC)._value.get() == 1
    assert harness.dead == []


async def test_an_undecodable_message_goes_to_the_dead_letter_topic_and_the_next_one_flows(harness: Harness):
    uow = FakeMatchingUnitOfWork()
    harness.broker.include_router(build_kafka_router(harness.consumer, lambda: uow))
    valid = factories.participant_enrolled(uuid.uuid4(), "mentee")
    async with TestKafkaBroker(harness.broker) as br:
        await harness.send(br, b'{"event_type": "ParticipantEnrolled", "profile": "wizard"}')
        await harness.send(br, valid)

    [(body, headers)] = harness.dead
    assert body == b'{"event_type": "ParticipantEnrolled", "profile": "wizard"}'
    assert headers["x-dlq-reason"].startswith("undecodable ParticipantEnrolled")
    assert "profile" in headers["x-dlq-reason"]
    assert headers["x-dlq-source-topic"] == TOPIC and headers["x-dlq-attempts"] == "0"
    assert valid.participant_id in uow.candidates.items


async def test_a_handler_that_keeps_failing_is_retried_a_bounded_number_of_times_then_dead_lettered(
    harness: Harness,
):
    calls: list[uuid.UUID] = []

    @harness.consumer.handles(ParticipantEnrolled)
    async def always_fails(event: ParticipantEnrolled) -> None:
        calls.append(event.event_id)
        raise RuntimeError("store unavailable")

    harness.broker.include_router(harness.consumer.router())
    event = factories.participant_enrolled(uuid.uuid4(), "mentor")
    async with TestKafkaBroker(harness.broker) as br:
        await harness.send(br, event)

    assert calls == [event.event_id] * 3
    [(_, headers)] = harness.dead
    assert headers["x-dlq-reason"] == "handler failed after 3 attempts: RuntimeError('store unavailable')"
    assert event.event_id not in harness.inbox.processed, "a failed event must not be marked processed"


async def test_a_handler_that_fails_once_succeeds_on_retry_without_dead_lettering(harness: Harness):
    attempts: list[int] = []

    @harness.consumer.handles(ParticipantEnrolled)
    async def flaky(event: ParticipantEnrolled) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise TimeoutError("transient")

    harness.broker.include_router(harness.consumer.router())
    event = factories.participant_enrolled(uuid.uuid4(), "mentor")
    async with TestKafkaBroker(harness.broker) as br:
        await harness.send(br, event)

    assert len(attempts) == 2 and harness.dead == []
    assert event.event_id in harness.inbox.processed
