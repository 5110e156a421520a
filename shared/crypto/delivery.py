"""Every service that opens sealed attributes subscribes to the key topic the same way."""

from collections.abc import Callable

from shared.contracts import ParticipantKey
from shared.crypto.keyring import KeyUnitOfWork, receive_key, receive_keys
from shared.messaging.consumer import EventConsumer


def subscribe_to_keys(consumer: EventConsumer, uow_factory: Callable[[], KeyUnitOfWork]) -> None:
    @consumer.handles(ParticipantKey)
    async def on_participant_key(event: ParticipantKey) -> None:
        """Keeps the participant's data key (or destroys it: erasure) to open their sealed attributes."""
        async with uow_factory() as uow:
            await receive_key(event, uow)

    @consumer.handles_together(ParticipantKey)
    async def on_participant_keys(events: list[ParticipantKey]) -> None:
        """Consecutive key records of a polled batch, kept in one write."""
        async with uow_factory() as uow:
            await receive_keys(events, uow)
