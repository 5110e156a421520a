from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection

from scheduling.adapters.documents import pair_from_doc, pair_to_doc, plan_from_doc, plan_to_doc
from scheduling.domain.model import PairSchedule, SessionPlan
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists
from shared.unit_of_work import UnitOfWork


class MongoProgrammePlans:
    def __init__(self, collection: AsyncCollection, uow: UnitOfWork) -> None:
        self.collection, self.uow = collection, uow

    async def get(self, programme_id: UUID) -> SessionPlan | None:
        doc = await self.collection.find_one({"_id": str(programme_id)})
        return plan_from_doc(doc) if doc else None

    def put(self, programme_id: UUID, plan: SessionPlan) -> None:
        doc = plan_to_doc(programme_id, plan)
        self.uow.stage(lambda: self.collection.replace_one({"_id": doc["_id"]}, doc, upsert=True))


class MongoPairSchedules:
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, pair_id: UUID) -> PairSchedule | None:
        doc = await self.docs.get(str(pair_id))
        return pair_from_doc(doc) if doc else None

    async def with_session(self, session_id: UUID) -> PairSchedule | None:
        # session_ids is a flat array kept beside `sessions` so the look-up needs no nested-path query.
        doc = await self.docs.collection.find_one({"session_ids": str(session_id)}, {"outbox": 0})
        return pair_from_doc(doc) if doc else None

    async def awaiting_programme(self, programme_id: UUID) -> list[PairSchedule]:
        query = {"programme_id": str(programme_id), "status": "awaiting_programme"}
        return [pair_from_doc(d) async for d in self.docs.collection.find(query, {"outbox": 0})]

    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[PairSchedule], int]:
        query: dict[str, Any] = {"programme_id": str(programme_id)} if programme_id else {}
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [pair_from_doc(d) async for d in cursor], total

    def add(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            try:
                await self.docs.insert(pair_to_doc(pair), events)
                pair.version = 1
            except AlreadyExists:
                pass  # a replay of the PairCreated that planned this pair

        self.uow.stage(write)

    def save(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            changes = {k: v for k, v in pair_to_doc(pair).items() if k != "_id"}
            pair.version = await self.docs.update(str(pair.pair_id), pair.version, changes, events)

        self.uow.stage(write)
