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
from shared.mongo.document_locks import document_key, locked
from shared.mongo.inserts import insert_absent
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
        # An insert, replacing only when the id is stored (a replay): FerretDB serves an upsert as a
        # read then a write, twice an insert's CPU, for what is nearly always a new fact.
        self.put_all([item])

    def put_all(self, items: list[Any]) -> None:
        """`put` of each, in one insert: only the ones already stored (a replay) are then replaced one by one."""
        docs = {d["_id"]: d for d in map(self.to_doc, items)}

        async def write() -> None:
            for stored in await insert_absent(self.collection, list(docs.values())):
                await self.collection.replace_one({"_id": stored}, docs[stored], upsert=True)

        if docs:
            self.uow.stage(write)


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
    """Session surveys. Each respondent's earliest answers with attitudes (their 'before') are also
    kept in `baselines` (`_id` = respondent), so an end survey finds them without a query."""

    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        super().__init__(docs, uow, survey_to_doc, survey_from_doc)
        self.baselines = docs.collection.database["baselines"]

    def add(self, item: Survey, events: list[IntegrationEvent]) -> None:
        self.uow.stage(lambda: self._keep_baseline(self.to_doc(item)))
        super().add(item, events)

    def replace(self, item: Survey, events: list[IntegrationEvent]) -> None:
        self.uow.stage(lambda: self._keep_baseline(self.to_doc(item)))
        super().replace(item, events)

    async def _keep_baseline(self, doc: dict[str, Any]) -> None:
        if not doc.get("has_attitudes"):
            return
        key = doc["respondent_id"]
        async with locked([document_key(self.baselines, key)]):
            kept = await self.baselines.find_one({"_id": key})
            # The first one, a new revision of the kept one, or an earlier one than the kept one.
            if kept is None or kept["survey_id"] == doc["_id"] or doc["submitted_at"] < kept["submitted_at"]:
                await self.baselines.replace_one({"_id": key}, {
                    "_id": key, "survey_id": doc["_id"], "submitted_at": doc["submitted_at"],
                    "attitudes": doc["attitudes"]}, upsert=True)

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
        kept = await self.baselines.find_one({"_id": str(respondent_id)})
        return pairs_from_doc(kept["attitudes"]) if kept else {}
