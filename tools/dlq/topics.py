"""Reading dead-letter topics whole, and counting them, with a group-less consumer (commits nothing)."""

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from shared.messaging.kafka_security import KafkaCredentials
from shared.settings import BaseServiceSettings

DLQ_PREFIX = "dlq."
OPERATOR = "dlq-operator"  # the CLI's Kafka principal by default; tools/kafka_access.py derives its ACLs


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"

    @property
    def dead_lettered_at(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp_ms / 1000, UTC)

    @property
    def reason(self) -> str:
        return self.headers.get("x-dlq-reason", "")

    @property
    def source_topic(self) -> str:
        return self.headers.get("x-dlq-source-topic", "")

    def event(self) -> dict[str, Any]:
        """The envelope fields when the bytes are an event; {} when they are not JSON (undecodable)."""
        try:
            decoded = json.loads(self.value)
        except ValueError:
            return {}
        return decoded if isinstance(decoded, dict) else {}


@dataclass(frozen=True)
class Kafka:
    bootstrap_servers: str
    options: dict[str, Any] = field(default_factory=dict)  # security settings, when the broker needs them

    @classmethod
    def as_operator(cls, bootstrap_servers: str) -> "Kafka":
        """Credentials from the services' variables (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM,
        KAFKA_SASL_USERNAME, default dlq-operator, KAFKA_SASL_PASSWORD, KAFKA_SSL_CAFILE)."""
        credentials = KafkaCredentials.of(BaseServiceSettings(service_name=OPERATOR))
        return cls(bootstrap_servers, credentials.client_kwargs())

    @contextlib.asynccontextmanager
    async def admin(self) -> AsyncIterator[AIOKafkaAdminClient]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers, client_id="binome-dlq", **self.options)
        await admin.start()
        try:
            yield admin
        finally:
            await admin.close()

    @contextlib.asynccontextmanager
    async def producer(self) -> AsyncIterator[AIOKafkaProducer]:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap_servers, client_id="binome-dlq", acks="all",
                                    enable_idempotence=True, **self.options)
        await producer.start()
        try:
            yield producer
        finally:
            await producer.stop()

    async def topics(self, prefix: str) -> list[str]:
        async with self.admin() as admin:
            return sorted(t for t in await admin.list_topics() if t.startswith(prefix))

    async def partitions(self, topic: str) -> list[TopicPartition]:
        async with self.admin() as admin:
            described = await admin.describe_topics([topic])
        return [TopicPartition(topic, p["partition"]) for t in described if not t.get("error_code")
                for p in sorted(t["partitions"], key=lambda p: p["partition"])]

    async def read_all(self, topic: str) -> list[DeadLetter]:
        """Every record from the beginning to the end offsets read at the start."""
        parts = await self.partitions(topic)
        if not parts:
            return []
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, group_id=None,
                                    enable_auto_commit=False, client_id="binome-dlq", **self.options)
        await consumer.start()
        try:
            ends = await consumer.end_offsets(parts)
            consumer.assign(parts)
            await consumer.seek_to_beginning(*parts)
            records: list[DeadLetter] = []
            while [tp for tp in parts if await consumer.position(tp) < ends[tp]]:
                for tp, batch in (await consumer.getmany(timeout_ms=1000)).items():
                    records += [DeadLetter(tp.topic, tp.partition, r.offset, r.timestamp, r.key, r.value,
                                           {k: v.decode(errors="replace") for k, v in r.headers})
                                for r in batch if r.offset < ends[tp]]
            return sorted(records, key=lambda d: (d.timestamp_ms, d.partition, d.offset))
        finally:
            await consumer.stop()

    async def count(self, topic: str) -> int:
        parts = await self.partitions(topic)
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, group_id=None, **self.options)
        await consumer.start()
        try:
            starts, ends = await consumer.beginning_offsets(parts), await consumer.end_offsets(parts)
            return sum(ends[tp] - starts[tp] for tp in parts)
        finally:
            await consumer.stop()
