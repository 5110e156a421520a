"""How far a consumer group is behind, read from the broker: committed offsets against end offsets.

Independent of the consumer's own code: the group's committed offsets are what a restart resumes
from, so `lag` is exactly what is left to process. The age of the oldest unprocessed message is
the broker timestamp of the record at the committed offset (0 when the partition is caught up).
"""

import asyncio
import time
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import CollectorRegistry, Gauge


@dataclass(frozen=True)
class PartitionLag:
    topic: str
    partition: int
    lag: int
    oldest_age_s: float


class ConsumerLagGauges:
    def __init__(self, registry: CollectorRegistry) -> None:
        labels = ["group", "topic", "partition"]
        self.lag = Gauge("binome_consumer_lag_messages", "Messages after the group's committed offset",
                         labels, registry=registry)
        self.age = Gauge("binome_consumer_oldest_unprocessed_age_seconds",
                         "Age of the oldest message the group has not committed (0 when caught up)",
                         labels, registry=registry)

    def show(self, group: str, lags: list[PartitionLag]) -> None:
        for p in lags:
            self.lag.labels(group, p.topic, str(p.partition)).set(p.lag)
            self.age.labels(group, p.topic, str(p.partition)).set(p.oldest_age_s)


class ConsumerLagReader:
    """Reads a group's lag on the given topics; one admin and one group-less consumer, kept open."""

    def __init__(self, bootstrap_servers: str, group: str, topics: list[str], **client_options: object) -> None:
        self.group, self.topics = group, topics
        self._admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id=f"{group}-lag",
                                          **client_options)
        self._reader = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None,
                                        client_id=f"{group}-lag", enable_auto_commit=False, **client_options)

    async def start(self) -> None:
        try:
            await self._admin.start()
            await self._reader.start()
        except BaseException:
            await self.close()  # a client that failed to start still holds its connections
            raise

    async def close(self) -> None:
        await self._reader.stop()
        await self._admin.close()

    async def read(self) -> list[PartitionLag]:
        described = await self._admin.describe_topics(self.topics)
        partitions = [TopicPartition(t["topic"], p["partition"]) for t in described if not t.get("error_code")
                      for p in sorted(t["partitions"], key=lambda p: p["partition"])]
        if not partitions:
            return []
        committed = await self._admin.list_consumer_group_offsets(self.group, partitions=partitions)
        ends = await self._reader.end_offsets(partitions)
        starts = await self._reader.beginning_offsets(partitions)
        result = []
        for tp in partitions:
            meta = committed.get(tp)
            position = meta.offset if meta is not None and meta.offset >= 0 else starts[tp]
            lag = max(ends[tp] - position, 0)
            age = await self._age_at(tp, position) if lag else 0.0
            result.append(PartitionLag(tp.topic, tp.partition, lag, age))
        return result

    async def _age_at(self, tp: TopicPartition, offset: int) -> float:
        self._reader.assign([tp])
        self._reader.seek(tp, offset)
        try:
            batch = await asyncio.wait_for(self._reader.getmany(tp, timeout_ms=2000, max_records=1), 5)
        except TimeoutError:
            return 0.0
        records = batch.get(tp) or []
        if not records:
            return 0.0
        return max(time.time() - records[0].timestamp / 1000, 0.0)
