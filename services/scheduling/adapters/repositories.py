from typing import Any
from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection

from scheduling.adapters.documents import (
    calendar_from_doc,
    calendar_to_doc,
    pair_from_doc,
    pair_to_doc,
    plan_from_doc,
    plan_to_doc,
)
from scheduling.domain.model import ACTIVE_PAIR, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import ParticipantCalendar
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork

NO_OUTBOX = {"outbox": 0}


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

    async def _find(self, query: dict[str, Any]) -> list[PairSchedule]:
        return [pair_from_doc(d) async for d in self.docs.collection.find(query, NO_OUTBOX).sort("_id", 1)]

    async def get(self, pair_id: UUID) -> PairSchedule | None:
        doc = await self.docs.get(str(pair_id))
        return pair_from_doc(doc) if doc else None

    async def with_session(self, session_id: UUID) -> PairSchedule | None:
        doc = await self.docs.collection.find_one({"session_ids": str(session_id)}, NO_OUTBOX)
        return pair_from_doc(doc) if doc else None

    async def awaiting_programme(self, programme_id: UUID) -> list[PairSchedule]:
        return await self._find({"programme_id": str(programme_id), "status": "awaiting_programme"})

    async def of_participant(self, participant_id: UUID, programme_id: UUID | None) -> list[PairSchedule]:
        query: dict[str, Any] = {"member_ids": str(participant_id)}
        if programme_id:
            query["programme_id"] = str(programme_id)
        return await self._find(query)

    async def active_after(self, after_id: UUID | None, limit: int) -> list[PairSchedule]:
        query: dict[str, Any] = {"status": {"$in": list(ACTIVE_PAIR)}}
        if after_id:
            query["_id"] = {"$gt": str(after_id)}
        cursor = self.docs.collection.find(query, NO_OUTBOX).sort("_id", 1).limit(limit)
        return [pair_from_doc(d) async for d in cursor]

    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[PairSchedule], int]:
        query = scope.narrow({"programme_id": str(programme_id)} if programme_id else {}, members=("member_ids",))
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, NO_OUTBOX).sort("_id", 1).skip(offset).limit(limit)
        return [pair_from_doc(d) async for d in cursor], total

    async def matching(self, programme_id: UUID | None, country: str | None,
                       scope: Scope = EVERYTHING) -> list[PairSchedule]:
        query: dict[str, Any] = {}
        if programme_id:
            query["programme_id"] = str(programme_id)
        if country:
            query["country"] = country
        return await self._find(scope.narrow(query, members=("member_ids",)))

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


class MongoParticipantCalendars:
    """Version-checked writes: a concurrent claim on the same participant fails with ConcurrentUpdate."""

    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, participant_id: UUID) -> ParticipantCalendar:
        doc = await self.docs.get(str(participant_id))
        return calendar_from_doc(doc) if doc else ParticipantCalendar(participant_id)

    def save(self, calendar: ParticipantCalendar) -> None:
        async def write() -> None:
            doc = calendar_to_doc(calendar)
            if calendar.version == 0:
                await self.docs.insert(doc)  # AlreadyExists: someone claimed first; the use case is retried
                calendar.version = 1
            else:
                changes = {k: v for k, v in doc.items() if k != "_id"}
                calendar.version = await self.docs.update(doc["_id"], calendar.version, changes)

        self.uow.stage(write)
