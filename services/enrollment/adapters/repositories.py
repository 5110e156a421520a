import contextlib
from collections import Counter
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from pymongo.asynchronous.collection import AsyncCollection

from enrollment.adapters.documents import (
    curriculum_from_doc,
    curriculum_to_doc,
    participant_from_doc,
    participant_to_doc,
    programme_from_doc,
    programme_to_doc,
)
from enrollment.domain.curriculum import Curriculum
from enrollment.domain.model import Participant, Programme
from enrollment.unit_of_work import ParticipantFilter
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork

CHUNK = 500


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


class MongoParticipants:
    def __init__(self, docs: AggregateDocuments, batches: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.batches, self.uow = docs, batches, uow
        self._new: list[tuple[Participant, list[IntegrationEvent]]] = []

    async def get(self, participant_id: UUID) -> Participant | None:
        doc = await self.docs.get(str(participant_id))
        return participant_from_doc(doc) if doc else None

    async def get_many(self, participant_ids: list[UUID], programme_id: UUID) -> dict[UUID, Participant]:
        wanted = set(participant_ids)
        if len(wanted) <= CHUNK:
            query: dict[str, Any] = {"_id": {"$in": [str(p) for p in wanted]}}
        else:
            # One pass over the programme: FerretDB v1 answers each $in by scanning the collection.
            query = {"programme_id": str(programme_id)}
        found: dict[UUID, Participant] = {}
        async for doc in self.docs.collection.find(query, {"outbox": 0}):
            if UUID(doc["_id"]) in wanted:
                found[UUID(doc["_id"])] = participant_from_doc(doc)
        return found

    async def page(self, where: ParticipantFilter, offset: int, limit: int) -> tuple[list[Participant], int]:
        query: dict[str, Any] = {"programme_id": str(where.programme_id)}
        query |= {k: v for k, v in (("country", where.country), ("role", where.role), ("status", where.status)) if v}
        query = where.scope.narrow(query, members=("_id",))
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [participant_from_doc(d) async for d in cursor], total

    async def counts(self, programme_id: UUID, scope: Scope = EVERYTHING) -> list[tuple[str, str, str, int]]:
        # Counted here rather than with $group: FerretDB v1 mis-computes compound group stages.
        query = scope.narrow({"programme_id": str(programme_id)}, members=("_id",))
        cursor = self.docs.collection.find(query, {"role": 1, "country": 1, "status": 1})
        # An erased participant's tombstone keeps neither role nor country.
        counter = Counter([(d.get("role", "erased"), d.get("country", "-"), d["status"]) async for d in cursor])
        return sorted((role, country, status, n) for (role, country, status), n in counter.items())

    def add(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        # New participants of one unit of work go to the store in one insert_many (HR imports).
        if not self._new:
            self.uow.stage(self._insert_new)
        self._new.append((participant, events))

    async def _insert_new(self) -> None:
        batch, self._new = self._new, []
        if len(batch) == 1:
            [(participant, events)] = batch
            await self.docs.insert(participant_to_doc(participant), events)
            return
        for i in range(0, len(batch), CHUNK):
            await self._insert_chunk(batch[i:i + CHUNK])

    async def _insert_chunk(self, chunk: list[tuple[Participant, list[IntegrationEvent]]]) -> None:
        # FerretDB v1 rewrites an update by scanning the whole collection (110-140 ms per update at
        # 10,000 participants, measured), so clearing 10,000 per-participant outboxes would take
        # minutes. A bulk import's events go into one batch document's outbox instead, written
        # before the participants: if the second write is lost, a re-import writes them again with
        # the same deterministic event ids, which consumers dedupe.
        events = [e for _, chunk_events in chunk for e in chunk_events]
        batch_id = str(uuid5(NAMESPACE_URL, "binome:enrollment-batch:" + ",".join(str(e.event_id) for e in events)))
        with contextlib.suppress(AlreadyExists):
            await self.batches.insert({"_id": batch_id, "participants": len(chunk)}, events)
        await self.docs.insert_many((participant_to_doc(p), []) for p, _ in chunk)

    def save(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            changes = {k: v for k, v in participant_to_doc(participant).items() if k != "_id"}
            participant.version = await self.docs.update(str(participant.participant_id), participant.version,
                                                         changes, events)

        self.uow.stage(write)

    def erase(self, participant: Participant, employee_id: str, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            # The document becomes a tombstone (programme and status only) carrying ParticipantErased.
            doc = participant_to_doc(participant)
            removals = [k for k in doc if k not in ("_id", "programme_id", "status")]
            await self.docs.update(str(participant.participant_id), participant.version,
                                   {"status": "erased", "programme_id": doc["programme_id"]}, events, removals)
            # Nobody else's record may keep the erased person's employee id as their manager.
            await self.docs.collection.update_many(
                {"programme_id": doc["programme_id"], "manager_employee_id": employee_id},
                {"$set": {"manager_employee_id": None}})

        self.uow.stage(write)
