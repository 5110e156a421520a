"""Scheduling's subscribers on FastStream's in-memory broker: the programme, the pair, then a
withdrawal and a dissolution arriving as events, each redelivery a no-op."""

from datetime import UTC, datetime, timedelta

from faststream.kafka import KafkaBroker, TestKafkaBroker
from prometheus_client import CollectorRegistry

from scheduling.entrypoints.consumers import build_kafka_router
from shared.contracts import IntegrationEvent, SessionCancelled, SessionScheduled, topic_for
from shared.messaging.consumer import EventConsumer
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.memory import FakeInbox
from tests.fakes.scheduling import FakeSchedulingUnitOfWork


async def send(broker, event: IntegrationEvent) -> None:
    await broker.publish(event.model_dump_json().encode(), topic=topic_for(event), key=event.partition_key.encode())


async def test_withdrawal_and_dissolution_events_cancel_future_sessions_once():
    uow = FakeSchedulingUnitOfWork()
    broker = KafkaBroker("in-memory")
    consumer = EventConsumer("scheduling", broker, FakeInbox(), DeliveryMetrics.on(CollectorRegistry()),
                             max_attempts=3, backoff_ms=0)
    broker.include_router(build_kafka_router(consumer, lambda: uow))
    programme = factories.programme_launched()
    created_at = datetime.now(UTC) + timedelta(days=1)
    leaving, staying = (factories.pair_created(programme.programme_id, occurred_at=created_at) for _ in range(2))
    withdrawn = factories.participant_withdrawn(programme.programme_id, leaving.mentee.participant_id)
    dissolved = factories.pair_dissolved(staying)
    async with TestKafkaBroker(broker) as br:
        for event in (leaving, programme, staying, withdrawn, withdrawn, dissolved, dissolved):
            await send(br, event)

    scheduled = [e for e in uow.pairs.events if isinstance(e, SessionScheduled)]
    cancelled = [e for e in uow.pairs.events if isinstance(e, SessionCancelled)]
    assert len(scheduled) == 6, "the pair that arrived before its programme was planned too"
    assert sorted(e.reason for e in cancelled) == ["pair_dissolved"] * 3 + ["participant_withdrew"] * 3
    assert {uow.pairs.items[p.pair_id].status for p in (leaving, staying)} == {"dissolved"}
    assert all(c.bookings == [] for c in uow.calendars.items.values())
