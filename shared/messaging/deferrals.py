"""Messages put back because what they need travels on another topic and has not been read yet.

A sealed event can be read before the data key that opens it (`enrollment.participant-key.v1`;
Kafka keeps no order between topics), and the service's one consumer reads both. Waiting inside
the handler would hold up the very consumer that must read the key, so the message is put back:
its offset is rewound (never committed past, never dead-lettered), its partition paused for a short
and growing while so that the other partitions (the key topic's among them) flow, then read again.
A message still waiting after `max_wait_s` (a key lost, a grant missing) is dead-lettered naming
what it waited for, so no partition is blocked for good.
"""

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from aiokafka import ConsumerRecord, TopicPartition

FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.25, 5.0
log = logging.getLogger(__name__)


@dataclass
class Deferrals:
    max_wait_s: float = 3600.0
    # One message in hand per partition: the offset put back and since when (monotonic).
    since: dict[tuple[str, int], tuple[int, float]] = field(default_factory=dict)

    def waited_s(self, record: ConsumerRecord) -> float:
        """How long this record has been put back for (0 the first time)."""
        key = (record.topic, record.partition)
        offset, started = self.since.get(key, (-1, 0.0))
        if offset != record.offset:
            self.since[key] = (record.offset, time.monotonic())
            return 0.0
        return time.monotonic() - started

    def done(self, record: ConsumerRecord) -> None:
        self.since.pop((record.topic, record.partition), None)

    async def put_back(self, msg: Any) -> float:
        """Rewinds the message's partition to it and pauses that partition; returns the pause (s)."""
        record: ConsumerRecord = msg.raw_message
        pause_s = min(FIRST_PAUSE_S + self.waited_s(record) / 2, LONGEST_PAUSE_S)
        partition = TopicPartition(record.topic, record.partition)
        try:
            await msg.nack()
            msg.consumer.pause(partition)
        except Exception as exc:  # revoked meanwhile: its next owner starts at the uncommitted offset
            log.info("put-back of %s:%d not needed (%r)", record.topic, record.partition, exc)
            return 0.0
        asyncio.get_running_loop().call_later(pause_s, _resume, msg.consumer, partition)
        return pause_s


def _resume(consumer: Any, partition: TopicPartition) -> None:
    try:
        consumer.resume(partition)
    except Exception:  # revoked while paused: a new assignment starts unpaused
        pass
