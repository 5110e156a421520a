"""Participants: one document each, listed and counted through their programme's index pages
(`shared/mongo/programme_index.py`), so no read depends on how many others are stored."""

import asyncio
import contextlib
from collections import Counter
from uuid import NAMESPACE_URL, UUID, uuid5

from pymongo.asynchronous.database import AsyncDatabase

from enrollment.adapters.documents import participant_from_doc, participant_to_doc
from enrollment.domain.model import Participant
from enrollment.unit_of_work import ParticipantFilter
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists
from shared.mongo.by_id import fetch_by_id
from shared.mongo.keyed_index import KeyedProgrammeIndex
from shared.mongo.programme_index import ProgrammeIndex, index_serves
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork

CHUNK = 500
NO_OUTBOX = {"outbox": 0}


def summary(participant: Participant) -> dict[str, str]:
    """What lists filter on and statistics count."""
    if participant.status == "erased":  # a tombstone keeps neither role nor country
        return {"role": "erased", "country": "-", "status": "erased"}
    return {"role": participant.role, "country": participant.country, "status": participant.status}


def participants_index(db: AsyncDatabase) -> KeyedProgrammeIndex:
    """Each programme's participants by id, counted and kept by role, country and status (a filtered
    list reads small documents: shared/mongo/keyed_index.py)."""
    return KeyedProgrammeIndex(db, "participants", counted=("role", "country", "status"))


class MongoParticipants:
    def __init__(self, docs: AggregateDocuments, batches: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.batches, self.uow = docs, batches, uow
        self.index = participants_index(docs.collection.database)
        self._new: list[tuple[Participant, list[IntegrationEvent]]] = []

    async def get(self, participant_id: UUID) -> Participant | None:
        doc = await self.docs.get(str(participant_id))
        return participant_from_doc(doc) if doc else None

    async def get_many(self, participant_ids: list[UUID], programme_id: UUID) -> dict[UUID, Participant]:
        known = await self.index.entries(programme_id)
        wanted = sorted(str(p) for p in set(participant_ids) if str(p) in known)
        docs = await fetch_by_id(self.docs.collection, wanted, NO_OUTBOX)
        return {UUID(d["_id"]): participant_from_doc(d) for d in docs}

    async def page(self, where: ParticipantFilter, offset: int, limit: int) -> tuple[list[Participant], int]:
        """A page in id order (after the `after` cursor) and how many match the filters in all."""
        filters = {"country": where.country, "role": where.role, "status": where.status}
        after = str(where.after) if where.after else None
        if not index_serves(where.scope, where.programme_id):  # a caller who sees part of it: their scope filters
            entries = await self.index.entries(where.programme_id)
            ids = [i for i in ProgrammeIndex.matching(entries, **filters)
                   if where.scope.admits(where.programme_id, entries[i].get("country"), [UUID(i)])]
            page = [i for i in ids if after is None or i > after][offset:offset + limit]
            return [participant_from_doc(d) for d in await fetch_by_id(self.docs.collection, page, NO_OUTBOX)], len(ids)

        async def items() -> list[dict]:
            ids = await self.index.ids(where.programme_id, offset, limit, after, **filters)
            docs = await fetch_by_id(self.docs.collection, ids, NO_OUTBOX)
            # an entry written before a failed item write may be stale: the item itself decides
            return [d for d in docs if all(d.get(k) == v for k, v in filters.items() if v is not None)]

        docs, total = await asyncio.gather(items(), self.index.count(where.programme_id, **filters))
        return [participant_from_doc(d) for d in docs], total

    async def counts(self, programme_id: UUID, scope: Scope = EVERYTHING) -> list[tuple[str, str, str, int]]:
        if index_serves(scope, programme_id):
            counted = await self.index.counts(programme_id)
        else:  # only what the caller's scope admits
            counted = Counter((e["role"], e["country"], e["status"]) for i, e in (await self.index.entries(
                programme_id)).items() if scope.admits(programme_id, e.get("country"), [UUID(i)]))
        return sorted((role, country, status, n) for (role, country, status), n in counted.items())

    def add(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        # New participants of one unit of work go to the store in one insert_many (HR imports).
        if not self._new:
            self.uow.stage(self._insert_new)
        self._new.append((participant, events))

    async def _insert_new(self) -> None:
        batch, self._new = self._new, []
        if len(batch) == 1:
            [(participant, events)] = batch
            await self._index([participant])
            await self.docs.insert(participant_to_doc(participant), events)
            return
        # The index pages first, once for the whole import: FerretDB rewrites a whole page document on
        # each update, so one put per chunk rewrote 16 pages growing with the import (1,600 rewrites
        # of pages up to 3,000 entries for 50,000 people; now 16).
        await self._index([p for p, _ in batch])
        for i in range(0, len(batch), CHUNK):
            await self._insert_chunk(batch[i:i + CHUNK])

    async def _insert_chunk(self, chunk: list[tuple[Participant, list[IntegrationEvent]]]) -> None:
        # A bulk import's events go into one batch document's outbox (one write instead of one per
        # participant), written before the participants: if the second write is lost, a re-import
        # writes them again with the same deterministic event ids, which consumers dedupe.
        events = [e for _, chunk_events in chunk for e in chunk_events]
        batch_id = str(uuid5(NAMESPACE_URL, "binome:enrollment-batch:" + ",".join(str(e.event_id) for e in events)))
        with contextlib.suppress(AlreadyExists):
            await self.batches.insert({"_id": batch_id, "participants": len(chunk)}, events)
        await self.docs.insert_many((participant_to_doc(p), []) for p, _ in chunk)

    async def _index(self, participants: list[Participant]) -> None:
        by_programme: dict[UUID, dict[str, dict[str, str]]] = {}
        for p in participants:
            by_programme.setdefault(p.programme_id, {})[str(p.participant_id)] = summary(p)
        for programme_id, summaries in by_programme.items():
            await self.index.put(programme_id, summaries)

    def save(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            await self._index([participant])
            changes = {k: v for k, v in participant_to_doc(participant).items() if k != "_id"}
            participant.version = await self.docs.update(str(participant.participant_id), participant.version,
                                                         changes, events)

        self.uow.stage(write)

    def erase(self, participant: Participant, employee_id: str, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            # The document becomes a tombstone (programme and status only) carrying ParticipantErased.
            doc = participant_to_doc(participant)
            removals = [k for k in doc if k not in ("_id", "programme_id", "status")]
            await self.index.put(participant.programme_id, {str(participant.participant_id): {
                "role": "erased", "country": "-", "status": "erased"}})
            await self.docs.update(str(participant.participant_id), participant.version,
                                   {"status": "erased", "programme_id": doc["programme_id"]}, events, removals)
            # Nobody else's record may keep the erased person's employee id as their manager (rare: one scan).
            await self.docs.collection.update_many(
                {"programme_id": doc["programme_id"], "manager_employee_id": employee_id},
                {"$set": {"manager_employee_id": None}})

        self.uow.stage(write)
