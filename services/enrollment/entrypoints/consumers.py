"""Enrollment's inbound events: its own ParticipantErased, to finish an erasure once it is published."""

from faststream.kafka import KafkaRouter

from enrollment import handlers
from enrollment.unit_of_work import UnitOfWorkFactory
from shared.contracts import ParticipantErased
from shared.messaging.consumer import EventConsumer


def build_kafka_router(consumer: EventConsumer, uow_factory: UnitOfWorkFactory) -> KafkaRouter:
    @consumer.handles(ParticipantErased)
    async def on_participant_erased(event: ParticipantErased) -> None:
        """The tombstone carried the event out; now the ids that still name the person become random."""
        async with uow_factory() as uow:
            await handlers.forget_tombstone(event.participant_id, event.event_id, uow)

    return consumer.router()
