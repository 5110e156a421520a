"""Every service that opens sealed attributes subscribes to the key topic the same way."""

from collections.abc import Callable

from shared.contracts import ParticipantKey
from shared.crypto.keyring import KeyUnitOfWork, receive_key
from shared.messaging.consumer import EventConsumer


def subscribe_to_keys(consumer: EventConsumer, uow_factory: Callable[[], KeyUnitOfWork]) -> None:
    @consumer.handles(ParticipantKey)
    async def on_participant_key(event: ParticipantKey) -> None:
        """Keeps the participant's data key (or destroys it: erasure) to open their sealed attributes."""
        async with uow_factory() as uow:
            await receive_key(event, uow)
