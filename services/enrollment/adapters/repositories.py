from uuid import UUID

from enrollment.adapters.documents import (
    participant_from_doc,
    participant_to_doc,
    programme_from_doc,
    programme_to_doc,
)
from enrollment.domain.model import Participant, Programme
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments
from shared.unit_of_work import UnitOfWork


class MongoProgrammes:
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, programme_id: UUID) -> Programme | None:
        doc = await self.docs.get(str(programme_id))
        return programme_from_doc(doc) if doc else None

    def add(self, programme: Programme, events: list[IntegrationEvent]) -> None:
        self.uow.stage(lambda: self.docs.insert(programme_to_doc(programme), events))


class MongoParticipants:
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, participant_id: UUID) -> Participant | None:
        doc = await self.docs.get(str(participant_id))
        return participant_from_doc(doc) if doc else None

    async def page(self, programme_id: UUID, offset: int, limit: int) -> tuple[list[Participant], int]:
        query = {"programme_id": str(programme_id)}
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [participant_from_doc(d) async for d in cursor], total

    def add(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        self.uow.stage(lambda: self.docs.insert(participant_to_doc(participant), events))

    def save(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            changes = {k: v for k, v in participant_to_doc(participant).items() if k != "_id"}
            participant.version = await self.docs.update(str(participant.participant_id), participant.version,
                                                         changes, events)

        self.uow.stage(write)
