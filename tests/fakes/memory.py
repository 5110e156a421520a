"""In-memory stand-ins for the Mongo-backed pieces shared by every service."""

from typing import Any
from uuid import UUID

from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AlreadyExists, ConcurrentUpdate


class FakeInbox:
    def __init__(self) -> None:
        self.processed: dict[UUID, str] = {}

    async def seen(self, event_id: UUID, occurred_at=None) -> bool:
        return event_id in self.processed

    async def record(self, event_id: UUID, topic: str) -> None:
        self.processed.setdefault(event_id, topic)

    async def seen_many(self, events) -> set[UUID]:
        return {event_id for event_id, _ in events if await self.seen(event_id)}

    async def record_many(self, processed) -> None:
        for event_id, topic in processed:
            await self.record(event_id, topic)


class FakeAggregates:
    """Aggregates by id with their emitted events, honouring the same version rules as Mongo."""

    def __init__(self) -> None:
        self.items: dict[Any, Any] = {}
        self.events: list[IntegrationEvent] = []

    def insert(self, key: Any, item: Any, events: list[IntegrationEvent]) -> None:
        if key in self.items:
            raise AlreadyExists(key)
        item.version = 1
        self.items[key] = item
        self.events += events

    def update(self, key: Any, item: Any, events: list[IntegrationEvent]) -> None:
        if self.items[key].version != item.version and self.items[key] is not item:
            raise ConcurrentUpdate(key)
        item.version += 1
        self.items[key] = item
        self.events += events


class FakeErasure:
    """Records erasure requests; the real adapter's effect is tested against the real store."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.erased: list[UUID] = []

    def erase(self, participant_id: UUID, erasure_id: UUID) -> None:
        async def write() -> None:
            self.erased.append(participant_id)

        self.uow.stage(write)


class FakeTombstones:
    def __init__(self, uow: Any) -> None:
        self.uow = uow
        self.ids: set[UUID] = set()

    async def erased(self, *participant_ids: UUID | None) -> bool:
        return any(p in self.ids for p in participant_ids)

    def record(self, participant_id: UUID) -> None:
        async def write() -> None:
            self.ids.add(participant_id)

        self.uow.stage(write)


class FakeKeys:
    """Data keys as if the key topic had delivered everyone's (unless `delivered` is False: then only
    those stored by a ParticipantKey); None once destroyed (erased)."""

    def __init__(self, uow: Any, delivered: bool = True) -> None:
        self.uow = uow
        self.delivered = delivered
        self.keys: dict[UUID, str] = {}
        self.destroyed: set[UUID] = set()

    async def get(self, participant_id: UUID) -> str | None:
        if participant_id in self.destroyed:
            return None
        if not self.delivered:
            return self.keys.get(participant_id)
        from tests.factories import data_key

        return self.keys.setdefault(participant_id, data_key(participant_id))

    async def erased(self, participant_id: UUID) -> bool:
        # Like MongoKeys: the key destroyed, or the service's erasure tombstone (ParticipantErased came first).
        tombstones = getattr(self.uow, "tombstones", None)
        return participant_id in self.destroyed or (tombstones is not None and await tombstones.erased(participant_id))

    def store(self, participant_id: UUID, data_key: str, programme_id: UUID | None = None) -> None:
        async def write() -> None:
            self.keys[participant_id] = data_key

        self.uow.stage(write)

    def store_all(self, keys: dict[UUID, str], programmes: Any = None) -> None:
        for participant_id, data_key in keys.items():
            self.store(participant_id, data_key)

    def destroy(self, participant_id: UUID) -> None:
        async def write() -> None:
            self.keys.pop(participant_id, None)
            self.destroyed.add(participant_id)

        self.uow.stage(write)
