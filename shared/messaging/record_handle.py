"""One record of a polled batch with its own commit and rewind.

FastStream's batch message commits the consumer's whole position and rewinds every partition to the
batch's start. The shared consumer delivers a batch record by record where it must (a put-back, an
outage, what follows them), so each record commits up to itself and rewinds to itself only.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import ConsumerRecord, TopicPartition
from faststream.kafka.message import FakeConsumer


@dataclass(frozen=True)
class RecordHandle:
    raw_message: ConsumerRecord
    consumer: Any  # the AIOKafkaConsumer that polled it (a stand-in in tests)

    @property
    def partition(self) -> TopicPartition:
        return TopicPartition(self.raw_message.topic, self.raw_message.partition)

    def still_assigned(self) -> bool:
        """False once a rebalance gave its partition to another member: that member reads it from the
        last commit, so this one must neither handle nor commit the rest of it."""
        assignment = getattr(self.consumer, "assignment", None)
        return assignment is None or self.partition in assignment()

    async def ack(self) -> None:
        await commit_past(self.consumer, [self.raw_message])

    async def nack(self) -> None:
        """The partition's next poll starts at this record again."""
        self.consumer.seek(self.partition, self.raw_message.offset)


async def commit_past(consumer: Any, records: Iterable[ConsumerRecord]) -> None:
    """Commits, in one request, each partition's offset just past its last record among `records`."""
    offsets: dict[TopicPartition, int] = {}
    for record in records:
        partition = TopicPartition(record.topic, record.partition)
        offsets[partition] = max(offsets.get(partition, 0), record.offset + 1)
    if not offsets or isinstance(consumer, FakeConsumer) or not hasattr(consumer, "commit"):
        return  # FastStream's in-memory test broker: nothing to commit to
    await consumer.commit(offsets)
