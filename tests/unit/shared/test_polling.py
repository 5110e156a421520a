"""The one consumer polls without FastStream's pause after an empty poll (shared/messaging/polling.py)."""

import faststream.kafka.subscriber.usecase as faststream_subscriber
from faststream.kafka import KafkaBroker
from prometheus_client import CollectorRegistry

from matching.entrypoints.consumers import build_kafka_router
from shared.messaging.consumer import EventConsumer
from shared.messaging.polling import poll
from shared.observability.metrics import DeliveryMetrics
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.fakes.memory import FakeInbox


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Consumer:
    """Answers each poll with `found`, the poll having taken `takes_s` on `clock`."""

    def __init__(self, clock: Clock, takes_s: float, found: dict) -> None:
        self.clock, self.takes_s, self.found, self.polls = clock, takes_s, found, []

    async def getmany(self, timeout_ms: int, max_records: int) -> dict:
        self.polls.append((timeout_ms, max_records))
        self.clock.now += self.takes_s
        return self.found


async def _poll(consumer: Consumer, clock: Clock) -> tuple[tuple, list[float]]:
    paused: list[float] = []

    async def pause(s: float) -> None:
        paused.append(s)

    return await poll(consumer, 100, 50, clock=clock, pause=pause), paused


async def test_a_poll_that_waited_its_timeout_for_nothing_is_followed_by_the_next_poll_at_once():
    clock = Clock()
    assert await _poll(Consumer(clock, 0.1, {}), clock) == ((), [])


async def test_records_are_handed_on_as_one_batch_without_a_pause():
    clock = Clock()
    consumer = Consumer(clock, 0.0, {"p0": ["a", "b"], "p1": ["c"]})
    assert await _poll(consumer, clock) == (("a", "b", "c"), [])
    assert consumer.polls == [(100, 50)]


async def test_a_poll_that_comes_back_empty_early_waits_out_its_timeout_so_the_loop_never_spins():
    clock = Clock()
    records, paused = await _poll(Consumer(clock, 0.03, {}), clock)
    assert records == () and paused == [0.1 - 0.03]


async def test_the_services_subscriber_polls_so_and_never_sleeps_faststreams_pause(monkeypatch):
    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)

    monkeypatch.setattr(faststream_subscriber.anyio, "sleep", sleep)
    broker = KafkaBroker("in-memory")
    consumer = EventConsumer("matching", broker, FakeInbox(), DeliveryMetrics.on(CollectorRegistry()))
    broker.include_router(build_kafka_router(consumer, FakeMatchingUnitOfWork))
    [subscriber] = broker.subscribers

    class Empty:
        async def getmany(self, timeout_ms: int, max_records: int) -> dict:
            return {}

    # FastStream's own get_msg would sleep batch_timeout_ms here, after the poll.
    assert await subscriber.get_msg(Empty()) == ()
    assert slept == []
