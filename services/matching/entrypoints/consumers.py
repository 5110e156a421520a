"""Matching's inbound events: one subscriber per consumed topic."""

from faststream.kafka import KafkaRouter

from matching import handlers
from matching.domain.commands import AddCandidate
from matching.domain.model import Candidate, Slot
from matching.unit_of_work import UnitOfWorkFactory
from shared.contracts import ParticipantEnrolled
from shared.messaging.consumer import EventConsumer


def build_kafka_router(consumer: EventConsumer, uow_factory: UnitOfWorkFactory) -> KafkaRouter:
    router = KafkaRouter()

    @consumer.subscriber(router, ParticipantEnrolled)
    async def on_participant_enrolled(event: ParticipantEnrolled) -> None:
        """Adds the participant to the programme's pool and pairs them when a counterpart is free."""
        candidate = Candidate(
            participant_id=event.participant_id,
            programme_id=event.programme_id,
            role=event.role,
            country=event.country,
            languages=event.languages,
            time_zone=event.time_zone,
            seniority_level=event.seniority_level,
            availability=[Slot(s.weekday, s.start, s.end) for s in event.availability],
        )
        async with uow_factory() as uow:
            await handlers.add_candidate(AddCandidate(candidate, **event.caused()), uow)

    return router
