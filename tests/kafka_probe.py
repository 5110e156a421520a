"""Reads topics the way a subscribing enterprise system would: a plain aiokafka consumer, own group.

The broker takes SASL: a probe connects as `admin` unless told which principal to be (the e2e tests
read as `enterprise-subscriber`, whose consumer groups must start with `enterprise-`).
"""

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from tools.servers import Servers

Kafka = Servers | str  # a bare bootstrap address: a PLAINTEXT broker


def connection(kafka: Kafka, principal: str = "admin") -> dict[str, Any]:
    if isinstance(kafka, str):
        return {"bootstrap_servers": kafka}
    return {"bootstrap_servers": kafka.kafka_bootstrap_servers, **kafka.kafka_as(principal).client_kwargs()}


@dataclass(frozen=True)
class Record:
    topic: str
    key: bytes | None
    value: bytes
    headers: dict[str, str]

    def json(self) -> dict[str, Any]:
        """The decoded event, or {} for the poison messages other tests leave on shared topics."""
        try:
            decoded = json.loads(self.value)
        except ValueError:
            return {}
        return decoded if isinstance(decoded, dict) else {}


class TopicReader:
    """Its group commits nothing, so after a rejoin (a busy machine can miss a heartbeat) the consumer
    starts again from the earliest record: a record already read is recognised by its position and kept
    once, so what a test counts is what the topic holds (a republished event has a new position)."""

    def __init__(self, kafka: Kafka, topics: list[str], principal: str = "admin") -> None:
        self.consumer = AIOKafkaConsumer(
            *topics,
            **connection(kafka, principal),
            group_id=f"enterprise-probe-{uuid.uuid4().hex[:8]}",
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        self.records: list[Record] = []
        self._read: set[tuple[str, int, int]] = set()  # (topic, partition, offset) of the records kept

    async def __aenter__(self) -> "TopicReader":
        await self.consumer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.consumer.stop()

    async def wait_for(self, predicate: Callable[[Record], bool], count: int = 1, timeout: float = 120) -> list[Record]:
        """The matching records once `count` are in (at once when they are), or what came by `timeout`:
        generous, since a busy machine delays every hop and an early success costs nothing."""
        deadline = time.monotonic() + timeout
        while True:
            found = [r for r in self.records if predicate(r)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            batch = await self.consumer.getmany(timeout_ms=300)
            for records in batch.values():
                self.add(records)

    def add(self, records: list[Any]) -> None:
        """Keeps each record once; a null value is a Kafka tombstone (the key topic's compaction housekeeping)."""
        for r in records:
            if (r.topic, r.partition, r.offset) in self._read:
                continue
            self._read.add((r.topic, r.partition, r.offset))
            self.records.append(Record(r.topic, r.key, r.value or b"", {k: v.decode() for k, v in r.headers}))

    async def settle(self, seconds: float = 1.5) -> None:
        """Keeps reading for a while, so a test can assert that nothing more arrived."""
        await self.wait_for(lambda _: False, timeout=seconds)


async def publish_raw(kafka: Kafka, topic: str, key: bytes, value: bytes, principal: str = "admin") -> None:
    producer = AIOKafkaProducer(**connection(kafka, principal), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key, headers=[("content-type", b"application/json")])
    finally:
        await producer.stop()


def field_is(name: str, value: object) -> Callable[[Record], bool]:
    return lambda r: r.json().get(name) == str(value)


async def eventually(check: Callable[[], Any], timeout: float = 60, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(interval)


async def read_every_topic(kafka: Kafka) -> list[Record]:
    """Every record of every topic, from the beginning to the current end (what a broker backup holds)."""
    from aiokafka import TopicPartition

    consumer = AIOKafkaConsumer(**connection(kafka), enable_auto_commit=False)
    await consumer.start()
    try:
        cluster = await consumer._client.fetch_all_metadata()  # every topic, not only subscribed ones
        topics = [t for t in cluster.topics() if not t.startswith("__")]
        partitions = [TopicPartition(t, p) for t in topics for p in cluster.partitions_for_topic(t) or ()]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[Record] = []
        pending = {tp for tp, end in ends.items() if end > 0}
        deadline = time.monotonic() + 120
        while pending and time.monotonic() < deadline:
            pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
            batch = await consumer.getmany(*pending, timeout_ms=1000, max_records=5000) if pending else {}
            for tp, rs in batch.items():
                records += [Record(tp.topic, r.key, r.value or b"", {k: v.decode() for k, v in r.headers})
                            for r in rs if r.offset < ends[tp]]
        return records
    finally:
        await consumer.stop()
