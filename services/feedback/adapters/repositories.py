from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection

from feedback.adapters.documents import session_from_doc, session_to_doc, survey_from_doc, survey_to_doc
from feedback.domain.model import CompletedSession, Survey
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments
from shared.unit_of_work import UnitOfWork


class MongoCompletedSessions:
    def __init__(self, collection: AsyncCollection, uow: UnitOfWork) -> None:
        self.collection, self.uow = collection, uow

    async def get(self, session_id: UUID) -> CompletedSession | None:
        doc = await self.collection.find_one({"_id": str(session_id)})
        return session_from_doc(doc) if doc else None

    def put(self, session: CompletedSession) -> None:
        doc = session_to_doc(session)
        self.uow.stage(lambda: self.collection.replace_one({"_id": doc["_id"]}, doc, upsert=True))


class MongoSurveys:
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, survey_id: UUID) -> Survey | None:
        doc = await self.docs.get(str(survey_id))
        return survey_from_doc(doc) if doc else None

    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[Survey], int]:
        query: dict[str, Any] = {"programme_id": str(programme_id)} if programme_id else {}
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [survey_from_doc(d) async for d in cursor], total

    def add(self, survey: Survey, events: list[IntegrationEvent]) -> None:
        self.uow.stage(lambda: self.docs.insert(survey_to_doc(survey), events))
