from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection

from feedback.adapters.documents import (
    pairs_from_doc,
    session_from_doc,
    session_to_doc,
    survey_from_doc,
    survey_to_doc,
)
from feedback.domain.model import CompletedSession, Survey
from feedback.domain.questionnaire import Answers
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork


class Upserted:
    """A plain collection of facts learnt from events, replaced whole on redelivery."""

    def __init__(self, collection: AsyncCollection, uow: UnitOfWork, to_doc: Any, from_doc: Any) -> None:
        self.collection, self.uow, self.to_doc, self.from_doc = collection, uow, to_doc, from_doc

    async def get(self, item_id: UUID) -> Any:
        doc = await self.collection.find_one({"_id": str(item_id)})
        return self.from_doc(doc) if doc else None

    def put(self, item: Any) -> None:
        doc = self.to_doc(item)
        self.uow.stage(lambda: self.collection.replace_one({"_id": doc["_id"]}, doc, upsert=True))


class MongoCompletedSessions(Upserted):
    def __init__(self, collection: AsyncCollection, uow: UnitOfWork) -> None:
        super().__init__(collection, uow, session_to_doc, session_from_doc)

    async def get(self, session_id: UUID) -> CompletedSession | None:
        return await super().get(session_id)


class Aggregates:
    """Documents that carry their own outbox: added once, replaced under a version check."""

    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork, to_doc: Any, from_doc: Any) -> None:
        self.docs, self.uow, self.to_doc, self.from_doc = docs, uow, to_doc, from_doc

    async def get(self, item_id: UUID) -> Any:
        doc = await self.docs.get(str(item_id))
        return self.from_doc(doc) if doc else None

    def add(self, item: Any, events: list[IntegrationEvent]) -> None:
        self.uow.stage(lambda: self.docs.insert(self.to_doc(item), events))

    def replace(self, item: Any, events: list[IntegrationEvent]) -> None:
        doc = self.to_doc(item)
        self.uow.stage(lambda: self.docs.update(doc.pop("_id"), item.version, doc, events))


class MongoSurveys(Aggregates):
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        super().__init__(docs, uow, survey_to_doc, survey_from_doc)

    async def get(self, survey_id: UUID) -> Survey | None:
        return await super().get(survey_id)

    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Survey], int]:
        query = scope.narrow({"programme_id": str(programme_id)} if programme_id else {}, members=("respondent_id",))
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [survey_from_doc(d) async for d in cursor], total

    async def baseline_attitudes(self, respondent_id: UUID) -> Answers:
        """The attitudes of the respondent's earliest session survey that asked them: the 'before'."""
        cursor = self.docs.collection.find({"respondent_id": str(respondent_id), "has_attitudes": True},
                                           {"attitudes": 1}).sort("submitted_at", 1).limit(1)
        first = [d async for d in cursor]
        return pairs_from_doc(first[0]["attitudes"]) if first else {}
