"""Every service that opens sealed attributes subscribes to the key topic the same way."""

from collections.abc import Callable

from faststream.kafka import KafkaRouter

from shared.contracts import ParticipantKey
from shared.crypto.keyring import KeyUnitOfWork, awaiting_key, receive_key
from shared.messaging.consumer import EventConsumer


def subscribe_to_keys(consumer: EventConsumer, router: KafkaRouter, uow_factory: Callable[[], KeyUnitOfWork]) -> None:
    @consumer.subscriber(router, ParticipantKey)
    async def on_participant_key(event: ParticipantKey) -> None:
        """Keeps the participant's data key (or destroys it: erasure) to open their sealed attributes;
        the events parked for it are then applied (or, the key destroyed, dropped)."""
        async with uow_factory() as uow:
            await receive_key(event, uow)
        await consumer.release(awaiting_key(event.participant_id))
