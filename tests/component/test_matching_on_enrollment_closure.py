"""When enrollment closes (ProgrammeUpdated, status closed), matching previews a round for the manager."""

import uuid

from faststream.kafka import KafkaBroker, TestKafkaBroker
from prometheus_client import CollectorRegistry

from matching.entrypoints.consumers import build_kafka_router
from shared.contracts import ProgrammeUpdated, topic_for
from shared.messaging.consumer import EventConsumer
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.fakes.memory import FakeInbox


async def test_closing_enrollment_previews_one_round_and_a_redelivery_previews_no_second():
    broker = KafkaBroker("in-memory")
    consumer = EventConsumer("matching", broker, FakeInbox(), DeliveryMetrics.on(CollectorRegistry()), backoff_ms=0)
    uow = FakeMatchingUnitOfWork()
    broker.include_router(build_kafka_router(consumer, lambda: uow))
    launched = factories.programme_launched()
    fields = launched.model_dump(exclude={"event_id", "event_type", "occurred_at"})
    renamed = ProgrammeUpdated(**{**fields, "name": "renamed"}, changed=["name"])
    closed = ProgrammeUpdated(**{**fields, "status": "closed"}, changed=["status"])
    async with TestKafkaBroker(broker) as br:
        for event in (launched, renamed, closed, closed.model_copy(update={"event_id": uuid.uuid4()})):
            await br.publish(event.model_dump_json().encode(), topic=topic_for(event), key=b"k")

    programme = await uow.programmes.get(launched.programme_id)
    assert programme is not None and programme.pending_round_id is not None
    assert len(uow.rounds.items) == 1, "renaming previews nothing; closing twice previews one round"
