from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection

from enrollment.adapters.documents import (
    curriculum_from_doc,
    curriculum_to_doc,
    programme_from_doc,
    programme_to_doc,
)
from enrollment.domain.curriculum import Curriculum
from enrollment.domain.model import Programme
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork


class MongoCurricula:
    def __init__(self, collection: AsyncCollection, uow: UnitOfWork) -> None:
        self.collection, self.uow = collection, uow

    async def get(self, version: str) -> Curriculum | None:
        doc = await self.collection.find_one({"_id": version})
        return curriculum_from_doc(doc) if doc else None

    async def versions(self) -> list[Curriculum]:
        return [curriculum_from_doc(d) async for d in self.collection.find({}).sort("_id", 1)]

    def add(self, curriculum: Curriculum) -> None:
        self.uow.stage(lambda: self.collection.insert_one(curriculum_to_doc(curriculum)))


class MongoProgrammes:
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, programme_id: UUID) -> Programme | None:
        doc = await self.docs.get(str(programme_id))
        return programme_from_doc(doc) if doc else None

    async def page(self, status: str | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Programme], int]:
        # A programme is in a manager's scope when named there, or when it runs in one of their countries.
        query = scope.narrow({"status": status} if status else {}, programme="_id", country="countries")
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("code", 1).skip(offset).limit(limit)
        return [programme_from_doc(d) async for d in cursor], total

    def add(self, programme: Programme, events: list[IntegrationEvent]) -> None:
        self.uow.stage(lambda: self.docs.insert(programme_to_doc(programme), events))

    def save(self, programme: Programme, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            changes = {k: v for k, v in programme_to_doc(programme).items() if k != "_id"}
            programme.version = await self.docs.update(str(programme.programme_id), programme.version, changes, events)

        self.uow.stage(write)
