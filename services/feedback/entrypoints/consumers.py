"""Feedback's inbound events: one subscriber per consumed topic."""

from faststream.kafka import KafkaRouter

from feedback import handlers
from feedback.domain.commands import RecordCompletedSession
from feedback.domain.model import CompletedSession
from feedback.unit_of_work import UnitOfWorkFactory
from shared.contracts import SessionCompleted
from shared.messaging.consumer import EventConsumer


def build_kafka_router(consumer: EventConsumer, uow_factory: UnitOfWorkFactory) -> KafkaRouter:
    router = KafkaRouter()

    @consumer.subscriber(router, SessionCompleted)
    async def on_session_completed(event: SessionCompleted) -> None:
        """Opens the session's survey to its two members."""
        session = CompletedSession(
            session_id=event.session_id,
            pair_id=event.pair_id,
            programme_id=event.programme_id,
            country=event.country,
            mentor_id=event.mentor_id,
            mentee_id=event.mentee_id,
            completed_at=event.completed_at,
        )
        async with uow_factory() as uow:
            await handlers.record_completed_session(RecordCompletedSession(session), uow)

    return router
