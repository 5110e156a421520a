"""The inbox's memory (shared/messaging/inbox.py, applied_memory.py): an event that occurred after its
partition was assigned is decided without the store; any other is looked up; a relay's duplicate at a
new offset is caught in memory; a reassignment or a full memory starts again. The shared consumer over
a fake inbox that counts lookups, fed polled batches (and single records: the careful path)."""

import uuid
from datetime import UTC, datetime, timedelta

from aiokafka import ConsumerRecord, TopicPartition
from faststream.kafka.message import KafkaAckableMessage
from prometheus_client import CollectorRegistry

from shared.contracts import ParticipantEnrolled, topic_for
from shared.messaging.applied_memory import AppliedMemory
from shared.messaging.consumer import EventConsumer
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.memory import FakeInbox
from tests.fakes.messaging import RecordingBroker, RecordingConsumer

TOPIC = topic_for(ParticipantEnrolled)
P0 = TopicPartition(TOPIC, 0)
T = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SKEW = timedelta(seconds=30)


class LookupCountingInbox(FakeInbox):
    def __init__(self) -> None:
        super().__init__()
        self.looked_up: list[uuid.UUID] = []

    async def seen(self, event_id: uuid.UUID, occurred_at=None) -> bool:
        self.looked_up.append(event_id)
        return await super().seen(event_id)


class Process:
    """One consumer process of the service; several share one inbox (the store)."""

    def __init__(self, inbox: LookupCountingInbox, per_partition: int = 1000) -> None:
        self.now = T
        self.inbox, self.kafka, self.handled = inbox, RecordingConsumer(), []
        self.memory = AppliedMemory(SKEW, per_partition, clock=lambda: self.now)
        self.metrics = DeliveryMetrics.on(CollectorRegistry())
        self.consumer = EventConsumer("matching", RecordingBroker(), inbox, self.metrics, backoff_ms=0,
                                      memory=self.memory)

        @self.consumer.handles(ParticipantEnrolled)
        async def handle(event: ParticipantEnrolled) -> None:
            self.handled.append(event.event_id)

    async def deliver(self, *items: tuple[int, ParticipantEnrolled]) -> None:
        """One poll of (offset, event) on partition 0; a single item goes the one-record path."""
        records = tuple(ConsumerRecord(TOPIC, 0, offset, 0, 0, b"k", e.model_dump_json().encode(), None, 1, 1, [])
                        for offset, e in items)
        raw = records if len(records) > 1 else records[0]
        await self.consumer.deliver(KafkaAckableMessage(raw_message=raw, body=b"", consumer=self.kafka))


def event(occurred_at: datetime) -> ParticipantEnrolled:
    return factories.participant_enrolled(uuid.uuid4(), "mentee").model_copy(update={"occurred_at": occurred_at})


async def test_a_fresh_event_is_applied_without_a_lookup_and_recorded_in_the_store():
    process = Process(LookupCountingInbox())
    process.memory.on_partitions_assigned({P0})
    a, b = event(T + 2 * SKEW), event(T + 3 * SKEW)
    await process.deliver((0, a), (1, b))
    await process.deliver((2, c := event(T + 4 * SKEW)))  # alone: the one-record path

    assert process.handled == [a.event_id, b.event_id, c.event_id]
    assert process.inbox.looked_up == []
    assert set(process.inbox.processed) == {a.event_id, b.event_id, c.event_id}  # for the next owner


async def test_an_event_from_before_the_assignment_is_looked_up_and_a_redelivery_absorbed():
    inbox = LookupCountingInbox()
    before, near = event(T - timedelta(minutes=5)), event(T + SKEW / 2)  # within the margin: not trusted
    inbox.processed[before.event_id] = TOPIC  # applied by the partition's previous owner
    process = Process(inbox)
    process.memory.on_partitions_assigned({P0})
    await process.deliver((0, before), (1, near))

    assert sorted(inbox.looked_up) == sorted([before.event_id, near.event_id])
    assert process.handled == [near.event_id]
    assert process.metrics.duplicates.labels(TOPIC)._value.get() == 1


async def test_a_relays_duplicate_at_a_new_offset_is_caught_in_memory():
    process = Process(LookupCountingInbox())
    process.memory.on_partitions_assigned({P0})
    a = event(T + 2 * SKEW)
    await process.deliver((0, a), (1, event(T + 2 * SKEW)))
    await process.deliver((7, a), (8, b := event(T + 3 * SKEW)))  # republished after a relay's crash
    await process.deliver((9, a))

    assert process.handled.count(a.event_id) == 1 and b.event_id in process.handled
    assert process.inbox.looked_up == []
    assert process.metrics.duplicates.labels(TOPIC)._value.get() == 2


async def test_after_a_reassignment_every_earlier_event_is_looked_up_again():
    inbox = LookupCountingInbox()
    first, second = Process(inbox), Process(inbox)
    first.memory.on_partitions_assigned({P0})
    a = event(T + 2 * SKEW)
    await first.deliver((0, a))
    first.memory.on_partitions_revoked({P0})  # a rebalance: the second process takes the partition
    second.now = T + 3 * SKEW
    second.memory.on_partitions_assigned({P0})
    b = event(T + 4 * SKEW)
    await second.deliver((1, b))  # the first never sees it
    second.memory.on_partitions_revoked({P0})
    first.now = T + 5 * SKEW  # the partition back at the first, whose memory starts again
    first.memory.on_partitions_assigned({P0})
    inbox.looked_up.clear()
    await first.deliver((0, a), (1, b))  # redelivered from an older commit

    assert sorted(inbox.looked_up) == sorted([a.event_id, b.event_id])
    assert first.handled == [a.event_id] and second.handled == [b.event_id], "each applied once"


async def test_a_partition_not_assigned_as_far_as_the_memory_knows_is_looked_up():
    process = Process(LookupCountingInbox())
    a = event(T + 2 * SKEW)
    await process.deliver((0, a), (1, a))

    assert set(process.inbox.looked_up) == {a.event_id} and process.handled == [a.event_id]
    assert process.memory.remembered(P0) == 0


async def test_a_full_memory_starts_again_later_and_looks_up_what_occurred_before():
    process = Process(LookupCountingInbox(), per_partition=2)
    process.memory.on_partitions_assigned({P0})
    a, b = event(T + 2 * SKEW), event(T + 2 * SKEW)
    await process.deliver((0, a), (1, b))
    process.now = T + 10 * SKEW
    c = event(T + 3 * SKEW)
    await process.deliver((2, c))  # the third id: the memory empties and starts at `now`

    assert process.memory.remembered(P0) == 1 and process.inbox.looked_up == []
    await process.deliver((3, a), (4, c))  # a: forgotten and from before the new start; c: remembered
    assert process.inbox.looked_up == [a.event_id]
    assert process.handled == [a.event_id, b.event_id, c.event_id]
