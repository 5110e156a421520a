"""Stand-ins for the Kafka side of a delivery: a consumer that records commits and seeks, a broker that
records (or refuses) publishes, an inbox that can be made unreachable."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from aiokafka import ConsumerRecord, TopicPartition
from faststream.kafka.message import KafkaAckableMessage
from prometheus_client import CollectorRegistry

from shared.contracts import topic_for
from shared.messaging.consumer import EventConsumer
from shared.observability.metrics import DeliveryMetrics
from tests.fakes.memory import FakeInbox


@dataclass
class RecordingConsumer:
    commits: int = 0
    seeks: list[tuple[TopicPartition, int]] = field(default_factory=list)
    paused: set[TopicPartition] = field(default_factory=set)
    committed: dict[TopicPartition, int] = field(default_factory=dict)

    async def commit(self, offsets: dict[TopicPartition, int] | None = None) -> None:
        self.commits += 1
        self.committed.update(offsets or {})

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.seeks.append((partition, offset))

    def pause(self, partition: TopicPartition) -> None:
        self.paused.add(partition)

    def resume(self, partition: TopicPartition) -> None:
        self.paused.discard(partition)


@dataclass
class RecordingBroker:
    published: list[tuple[str, bytes, dict[str, str]]] = field(default_factory=list)
    failures_left: int = 0
    failure: Exception = field(default_factory=lambda: ConnectionError("broker unreachable"))

    async def publish(self, body: bytes, *, topic: str, key: Any = None, headers: dict[str, str]) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise self.failure
        self.published.append((topic, body, headers))


class FlakyInbox(FakeInbox):
    """Raises `failure` on its next `failures_left` calls (seen or record), like an unreachable store."""

    def __init__(self, failure: Exception, failures_left: int = 0) -> None:
        super().__init__()
        self.failure, self.failures_left = failure, failures_left

    def _maybe_fail(self) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise self.failure

    async def seen(self, event_id: UUID, occurred_at=None) -> bool:
        self._maybe_fail()
        return await super().seen(event_id)

    async def record(self, event_id: UUID, topic: str) -> None:
        self._maybe_fail()
        await super().record(event_id, topic)


def message(topic: str, value: bytes | None, headers: list[tuple[str, bytes]] = (), offset: int = 7,
            consumer: RecordingConsumer | None = None) -> KafkaAckableMessage:
    record = ConsumerRecord(topic, 1, offset, 0, 0, b"key", value, None, 3, len(value or b""), list(headers))
    return KafkaAckableMessage(raw_message=record, body=value or b"", consumer=consumer or RecordingConsumer())


def polled(*events: Any, first_offset: int = 0, key: bytes | None = b"k",
           consumer: RecordingConsumer | None = None) -> KafkaAckableMessage:
    """One poll's batch: each event a record of its own topic, partition 0, from `first_offset` on (the
    event's partition key as record key when `key` is None)."""
    records = tuple(ConsumerRecord(topic_for(e), 0, first_offset + i, 0, 0,
                                   key if key is not None else e.partition_key.encode(),
                                   e.model_dump_json().encode(), None, 1, 1, []) for i, e in enumerate(events))
    return KafkaAckableMessage(raw_message=records, body=[], consumer=consumer or RecordingConsumer())


class ServiceOnFakes:
    """A service's real consumer and handlers (its `build_kafka_router`) over a fake unit of work and
    inbox, fed polled batches: how the component tests see a batch delivered together."""

    def __init__(self, service: str, uow: Any, build_kafka_router: Callable[..., Any]) -> None:
        self.uow, self.kafka, self.inbox = uow, RecordingConsumer(), FakeInbox()
        metrics = DeliveryMetrics.on(CollectorRegistry())
        self.consumer = EventConsumer(service, RecordingBroker(), self.inbox, metrics, backoff_ms=0)
        build_kafka_router(self.consumer, lambda: self.uow)

    async def poll(self, *events: Any, first_offset: int = 0) -> None:
        await self.consumer.deliver(polled(*events, first_offset=first_offset, consumer=self.kafka))
