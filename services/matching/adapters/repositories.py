from typing import Any
from uuid import UUID

from matching.adapters.documents import candidate_from_doc, candidate_to_doc, pair_from_doc, pair_to_doc
from matching.domain.model import Candidate, Pair
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists
from shared.unit_of_work import UnitOfWork


class MongoCandidates:
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, participant_id: UUID) -> Candidate | None:
        doc = await self.docs.get(str(participant_id))
        return candidate_from_doc(doc) if doc else None

    async def free_in_programme(self, programme_id: UUID) -> list[Candidate]:
        cursor = self.docs.collection.find({"programme_id": str(programme_id), "pair_id": None}, {"outbox": 0})
        return [candidate_from_doc(d) async for d in cursor]

    def add(self, candidate: Candidate) -> None:
        async def write() -> None:
            await self.docs.insert(candidate_to_doc(candidate))
            candidate.version = 1

        self.uow.stage(write)

    def assign(self, candidate: Candidate, pair_id: UUID) -> None:
        async def write() -> None:
            # Version-checked: a candidate taken meanwhile raises ConcurrentUpdate and the event is retried.
            candidate.version = await self.docs.update(
                str(candidate.participant_id), candidate.version, {"pair_id": str(pair_id)}
            )
            candidate.pair_id = pair_id

        self.uow.stage(write)


class MongoPairs:
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, pair_id: UUID) -> Pair | None:
        doc = await self.docs.get(str(pair_id))
        return pair_from_doc(doc) if doc else None

    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[Pair], int]:
        query: dict[str, Any] = {"programme_id": str(programme_id)} if programme_id else {}
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [pair_from_doc(d) async for d in cursor], total

    def add(self, pair: Pair, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            try:
                await self.docs.insert(pair_to_doc(pair), events)
            except AlreadyExists:
                pass  # a replay: this deterministic pair and its event were stored before

        self.uow.stage(write)
