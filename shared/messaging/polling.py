"""How the one consumer polls: FastStream's batch subscriber, without its pause after an empty poll.

FastStream's batch subscriber (`BatchSubscriber.get_msg`) sleeps `batch_timeout_ms` after a poll that
found nothing, on top of the poll's own wait, which already ends as soon as records come. An event
arriving during that sleep waited up to 100 ms more before anything looked at it: at a steady 5
enrollments/s, most arrivals (docs/benchmarks.md, "ack12"). Here the poll's own wait is the only
one; a poll that comes back empty early (an assignment changing) still waits out its timeout, so the
loop never spins.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from itertools import chain
from types import MethodType
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord


async def poll(consumer: AIOKafkaConsumer, timeout_ms: int, max_records: int,
               clock: Callable[[], float] = time.monotonic,
               pause: Callable[[float], Awaitable[None]] = asyncio.sleep) -> tuple[ConsumerRecord, ...]:
    started = clock()
    found = await consumer.getmany(timeout_ms=timeout_ms, max_records=max_records)
    if not found and (left := timeout_ms / 1000 - (clock() - started)) > 0:
        await pause(left)
    return tuple(chain.from_iterable(found.values()))


def without_pause(subscriber: Any) -> Any:
    """The batch subscriber `subscriber`, polling with `poll` (its own `get_msg` replaced)."""

    async def get_msg(self, consumer: AIOKafkaConsumer) -> tuple[ConsumerRecord, ...]:
        return await poll(consumer, self.batch_timeout_ms, self.max_records)

    subscriber.get_msg = MethodType(get_msg, subscriber)
    return subscriber
