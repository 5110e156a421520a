from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from scheduling.adapters.agenda import MongoAgenda
from scheduling.adapters.pair_documents import pair_from_doc, pair_to_doc, removed_fields, session_ids
from scheduling.adapters.participant_pairs import ParticipantPairs
from scheduling.domain.model import ACTIVE_PAIR
from scheduling.domain.pair import PairSchedule
from shared.concurrently import all_settled
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.by_id import fetch_by_id
from shared.mongo.inserts import insert_absent
from shared.mongo.programme_index import ProgrammeIndex, index_serves
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork

NO_OUTBOX = {"outbox": 0}


COUNTED = ("status", "country", "at_risk", "completed")


def pairs_index(db: AsyncDatabase) -> ProgrammeIndex:
    """Each programme's pairs by id, counted by what lists filter on and the business gauges show: 256
    pages per programme, so a run of new pairs rewrites pages of ~2 KB at 5,000 pairs, not 16 of ~30 KB
    (FerretDB decodes and re-encodes a whole page per read and write; docs/benchmarks.md, store14b)."""
    return ProgrammeIndex(db, "pairs", counted=COUNTED, digits=2)


def pairs_index_before(db: AsyncDatabase) -> ProgrammeIndex:
    """The 16-page layout of earlier versions (moved at start by ensure_indexes)."""
    return ProgrammeIndex(db, "pairs", counted=COUNTED)


def index_summary(pair: PairSchedule) -> dict[str, str]:
    return {"status": pair.status, "country": pair.country,
            "at_risk": "yes" if pair.status == "planned" and pair.at_risk_since is not None else "no",
            "completed": str(sum(1 for s in pair.sessions if s.status == "completed"))}


class MongoPairSchedules:
    """Pairs with their sessions. A session is found by its id through `session_pairs` (session id ->
    pair id), written before the pair that holds the session, so no lookup reads the collection."""

    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork, agenda: MongoAgenda) -> None:
        self.docs, self.uow, self.agenda = docs, uow, agenda
        self.session_pairs = docs.collection.database["session_pairs"]
        self.participant_pairs = ParticipantPairs(docs.collection.database)
        self.index = pairs_index(docs.collection.database)
        self._indexed: dict[str, set[str]] = {}  # pair id -> its session ids already in session_pairs

    def _loaded(self, doc: dict[str, Any]) -> PairSchedule:
        # A document of the earlier shape (with `session_ids`) may predate session_pairs: its sessions are
        # filed again (an insert of what is absent) before its next write drops `session_ids`.
        self._indexed[doc["_id"]] = set() if "session_ids" in doc else set(session_ids(doc))
        return pair_from_doc(doc)

    async def _index_sessions(self, *docs: dict[str, Any]) -> None:
        new = {d["_id"]: [s for s in session_ids(d) if s not in self._indexed.get(d["_id"], set())]
               for d in docs}
        # On a replay some are there already: the same sessions, the same pair.
        await insert_absent(self.session_pairs, [{"_id": s, "pair_id": p} for p, ids in new.items() for s in ids])
        for pair_id, ids in new.items():
            self._indexed.setdefault(pair_id, set()).update(ids)

    async def _find(self, query: dict[str, Any]) -> list[PairSchedule]:
        return [self._loaded(d) async for d in self.docs.collection.find(query, NO_OUTBOX).sort("_id", 1)]

    async def get(self, pair_id: UUID) -> PairSchedule | None:
        doc = await self.docs.get(str(pair_id))
        return self._loaded(doc) if doc else None

    async def with_session(self, session_id: UUID) -> PairSchedule | None:
        entry = await self.session_pairs.find_one({"_id": str(session_id)})
        if entry is not None:
            doc = await self.docs.get(entry["pair_id"])
        else:  # a pair planned before session_pairs existed: the earlier shape, with `session_ids` (one scan)
            doc = await self.docs.collection.find_one({"session_ids": str(session_id)}, NO_OUTBOX)
            if doc is not None:
                self._indexed[doc["_id"]] = set()
                await self._index_sessions(doc)
        return self._loaded(doc) if doc else None

    async def awaiting_programme(self, programme_id: UUID) -> list[PairSchedule]:
        """Through the programme's index pages (an entry is put before its pair is written): FerretDB v1
        scans every pair stored for `{programme_id, status}` (8 s with 5,000 pairs, for each launch)."""
        ids = ProgrammeIndex.matching(await self.index.entries(programme_id), status="awaiting_programme")
        found = await fetch_by_id(self.docs.collection, ids, NO_OUTBOX)
        return [self._loaded(d) for d in found if d.get("status") == "awaiting_programme"]

    async def of_participant(self, participant_id: UUID, programme_id: UUID | None) -> list[PairSchedule]:
        found = await fetch_by_id(self.docs.collection, await self.participant_pairs.of(str(participant_id)),
                                  NO_OUTBOX)
        return [self._loaded(d) for d in found if not programme_id or d["programme_id"] == str(programme_id)]

    async def active_batches(self, size: int) -> AsyncIterator[list[PairSchedule]]:
        """Every active pair, `size` at a time, in ONE unsorted pass (a cursor: find, then getMore).
        A sorted page per batch (`_id > last ... sort(_id).limit`) made FerretDB v1 scan and sort the
        whole collection for each page: O(pairs² / size) documents decoded (docs/benchmarks.md)."""
        batch: list[PairSchedule] = []
        async for doc in self.docs.collection.find({"status": {"$in": list(ACTIVE_PAIR)}}, NO_OUTBOX,
                                                   batch_size=size):
            batch.append(self._loaded(doc))
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch

    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[PairSchedule], int]:
        if programme_id and index_serves(scope, programme_id):  # the programme's index pages, no query
            ids = await self.index.ids(programme_id, offset, limit)
            found = await fetch_by_id(self.docs.collection, ids, NO_OUTBOX)
            return [pair_from_doc(d) for d in found], await self.index.count(programme_id)
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
        self.add_all([(pair, events)])

    def add_all(self, planned: list[tuple[PairSchedule, list[IntegrationEvent]]]) -> None:
        """New pairs, each with its events: what finds them first (sessions, members, agenda, programme
        index: one write each for all of them, concurrently), then the pairs in one insert."""
        async def write() -> None:
            docs = {pair.pair_id: pair_to_doc(pair) for pair, _ in planned}
            pairs = [pair for pair, _ in planned]
            by_programme: dict[UUID, dict[str, dict[str, str]]] = {}
            for pair in pairs:
                by_programme.setdefault(pair.programme_id, {})[str(pair.pair_id)] = index_summary(pair)
            await all_settled([
                self._index_sessions(*docs.values()),
                self.participant_pairs.file_many({d["_id"]: d["member_ids"] for d in docs.values()}),
                self.agenda.file_many(pairs),
                *(self.index.put(programme_id, summaries) for programme_id, summaries in by_programme.items())])
            # A pair already there is a replay of the PairCreated that planned it: left as it is.
            existing = await self.docs.insert_many((docs[pair.pair_id], events) for pair, events in planned)
            for pair in pairs:
                if str(pair.pair_id) not in existing:
                    pair.version = 1

        self.uow.stage(write)

    def save(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            doc = pair_to_doc(pair)
            await all_settled([self._index_sessions(doc), self.agenda.file(pair),
                               self.index.put(pair.programme_id, {doc["_id"]: index_summary(pair)})])
            changes = {k: v for k, v in doc.items() if k != "_id"}
            pair.version = await self.docs.update(str(pair.pair_id), pair.version, changes, events,
                                                  removals=removed_fields(doc))

        self.uow.stage(write)
