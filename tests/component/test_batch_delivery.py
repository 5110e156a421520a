"""The shared consumer on a polled batch: one inbox check, one inbox insert and one offset commit for
the records it delivers together; a duplicate absorbed, a poison record dead-lettered alone, a put-back
or an outage taken over record by record without committing past them. The Kafka side is recorded."""

import logging
import uuid

from aiokafka import ConsumerRecord, TopicPartition
from faststream.kafka.message import KafkaAckableMessage
from prometheus_client import CollectorRegistry
from pymongo.errors import AutoReconnect

from shared.contracts import ParticipantEnrolled, dlq_topic, topic_for
from shared.messaging.consumer import EventConsumer
from shared.messaging.outcomes import Deferred
from shared.observability.logging import correlation_id
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.memory import FakeInbox
from tests.fakes.messaging import RecordingBroker, RecordingConsumer

TOPIC = topic_for(ParticipantEnrolled)


class CountingInbox(FakeInbox):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    async def seen_many(self, events) -> set[uuid.UUID]:
        self.calls.append("seen_many")
        return await super().seen_many(events)

    async def record_many(self, processed) -> None:
        self.calls.append("record_many")
        await super().record_many(processed)


class OrderCheckingConsumer(RecordingConsumer):
    """Fails the test if offsets are committed before the effects' ids are in the inbox."""

    def __init__(self, inbox: FakeInbox, handled: list) -> None:
        super().__init__()
        self.inbox, self.handled, self.unrecorded_at_commit = inbox, handled, []

    async def commit(self, offsets=None) -> None:
        self.unrecorded_at_commit += [e for e in self.handled if e not in self.inbox.processed]
        await super().commit(offsets)


class Batch:
    def __init__(self) -> None:
        self.broker, self.inbox, self.handled = RecordingBroker(), CountingInbox(), []
        self.kafka = OrderCheckingConsumer(self.inbox, self.handled)
        self.metrics = DeliveryMetrics.on(CollectorRegistry())
        self.consumer = EventConsumer("matching", self.broker, self.inbox, self.metrics, backoff_ms=0,
                                      transient_retry_s=0.2, transient_backoff_max_ms=20)
        self.poison: set[uuid.UUID] = set()
        self.waiting: set[uuid.UUID] = set()
        self.outage: set[uuid.UUID] = set()
        self.attempts: list[uuid.UUID] = []

        @self.consumer.handles(ParticipantEnrolled)
        async def handle(event: ParticipantEnrolled) -> None:
            self.attempts.append(event.event_id)
            if event.event_id in self.poison:
                raise ValueError("cannot be applied")
            if event.event_id in self.waiting:
                raise Deferred("waiting for its key")
            if event.event_id in self.outage:
                raise AutoReconnect("store restarting")
            self.handled.append(event.event_id)

    async def deliver(self, *items: tuple[int, int, ParticipantEnrolled]) -> None:
        """Delivers one polled batch of (partition, offset, event)."""
        records = tuple(ConsumerRecord(TOPIC, partition, offset, 0, 0, b"k", body := e.model_dump_json().encode(),
                                       None, 1, len(body), []) for partition, offset, e in items)
        await self.consumer.deliver(KafkaAckableMessage(raw_message=records, body=[r.value for r in records],
                                                        consumer=self.kafka))

    def dead(self) -> list[dict[str, str]]:
        return [headers for topic, _, headers in self.broker.published if topic == dlq_topic("matching", TOPIC)]


def enrolled() -> ParticipantEnrolled:
    return factories.participant_enrolled(uuid.uuid4(), "mentee")


async def test_a_batch_is_checked_recorded_and_committed_once_and_a_duplicate_is_absorbed():
    batch = Batch()
    before, a, b = enrolled(), enrolled(), enrolled()
    batch.inbox.processed[before.event_id] = TOPIC  # delivered and processed earlier
    await batch.deliver((0, 10, a), (1, 4, before), (0, 11, b), (0, 12, a))

    assert batch.handled == [a.event_id, b.event_id], "each event applied once, in order"
    assert batch.inbox.calls == ["seen_many", "record_many"]
    assert batch.kafka.commits == 1 and batch.kafka.unrecorded_at_commit == []
    assert batch.kafka.committed == {TopicPartition(TOPIC, 0): 13, TopicPartition(TOPIC, 1): 5}
    assert batch.metrics.duplicates.labels(TOPIC)._value.get() == 2
    assert batch.metrics.consumed.labels(TOPIC)._value.get() == 2


async def test_a_poison_record_in_a_batch_is_dead_lettered_alone_and_the_others_are_applied_once():
    batch = Batch()
    a, poison, b = enrolled(), enrolled(), enrolled()
    batch.poison.add(poison.event_id)
    await batch.deliver((0, 1, a), (0, 2, poison), (0, 3, b))

    assert batch.handled == [a.event_id, b.event_id]
    assert batch.attempts.count(poison.event_id) == 3, "bounded retries, as one at a time"
    [headers] = batch.dead()
    assert headers["x-dlq-source-offset"] == "2" and headers["x-dlq-reason"].startswith("handler failed after 3")
    assert poison.event_id not in batch.inbox.processed
    assert batch.kafka.commits == 1 and batch.kafka.committed == {TopicPartition(TOPIC, 0): 4}


async def test_an_undecodable_record_in_a_batch_is_dead_lettered_and_the_rest_flows():
    batch = Batch()
    a = enrolled()
    good = ConsumerRecord(TOPIC, 0, 2, 0, 0, b"k", a.model_dump_json().encode(), None, 1, 1, [])
    bad = ConsumerRecord(TOPIC, 0, 1, 0, 0, b"k", b"{not json", None, 1, 1, [])
    await batch.consumer.deliver(KafkaAckableMessage(raw_message=(bad, good), body=[], consumer=batch.kafka))

    assert [h["x-dlq-source-offset"] for h in batch.dead()] == ["1"] and batch.handled == [a.event_id]
    assert batch.kafka.committed == {TopicPartition(TOPIC, 0): 3}


async def test_a_put_back_record_holds_back_its_partition_and_the_other_partitions_flow():
    batch = Batch()
    a, waiting, after, other = enrolled(), enrolled(), enrolled(), enrolled()
    batch.waiting.add(waiting.event_id)
    await batch.deliver((0, 1, a), (0, 2, waiting), (0, 3, after), (1, 8, other))

    assert batch.handled == [a.event_id, other.event_id], "nothing after the put-back record in its partition"
    assert after.event_id not in batch.attempts
    assert batch.kafka.seeks == [(TopicPartition(TOPIC, 0), 2)] and TopicPartition(TOPIC, 0) in batch.kafka.paused
    assert batch.kafka.committed == {TopicPartition(TOPIC, 0): 2, TopicPartition(TOPIC, 1): 9}
    assert batch.dead() == [] and batch.kafka.unrecorded_at_commit == []


async def test_an_outage_in_a_batch_rewinds_it_from_that_record_and_commits_only_what_was_stored():
    batch = Batch()
    a, stuck, b, other = enrolled(), enrolled(), enrolled(), enrolled()
    batch.outage.add(stuck.event_id)
    await batch.deliver((0, 1, a), (0, 2, stuck), (0, 3, b), (1, 8, other))

    assert batch.handled == [a.event_id] and batch.dead() == []
    assert batch.kafka.committed == {TopicPartition(TOPIC, 0): 2}
    assert set(batch.kafka.seeks) == {(TopicPartition(TOPIC, 0), 2), (TopicPartition(TOPIC, 1), 8)}
    assert batch.consumer.state.describe()["state"] == "waiting"


async def test_each_processed_line_of_a_batch_names_its_own_events_flow():
    lines: list[tuple[str, str | None]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append((record.getMessage(), correlation_id.get()))  # the flow the service's log would show

    collect = Collect()
    logger = logging.getLogger("shared.messaging.record_delivery")
    logger.addHandler(collect)
    logger.setLevel(logging.INFO)
    try:
        a, b = enrolled(), enrolled()
        await Batch().deliver((0, 1, a), (0, 2, b))
    finally:
        logger.removeHandler(collect)
    processed = {flow for message, flow in lines if message.startswith("processed ")}
    assert processed == {str(a.correlation_id), str(b.correlation_id)}
