from collections.abc import Callable
from typing import Any
from uuid import UUID

from matching.adapters import documents as docs
from matching.adapters.journal import apply, journal_of, journal_text, kept_pairs_index
from matching.domain.model import Pair, Round
from matching.domain.pool import Pool
from matching.domain.programme import Programme
from matching.pools import CachedPools
from matching.unit_of_work import Decision, MatchingUnitOfWork
from shared.concurrently import all_settled
from shared.contracts import IntegrationEvent
from shared.crypto.keyring import MongoKeys
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists, ConcurrentUpdate
from shared.mongo.by_id import fetch_by_id
from shared.mongo.document_locks import document_key, locked
from shared.mongo.outbox_markers import PendingOutboxes
from shared.mongo.programme_index import index_serves
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork


class _Reader:
    from_doc: Callable[[dict[str, Any]], Any]

    def __init__(self, documents: AggregateDocuments) -> None:
        self.docs = documents

    async def get(self, key: UUID) -> Any:
        doc = await self.docs.get(str(key))
        return type(self).from_doc(doc) if doc else None

    async def in_programme(self, programme_id: UUID) -> list[Any]:
        query = self.docs.collection.find({"programme_id": str(programme_id)}, {"outbox": 0})
        return [type(self).from_doc(d) async for d in query]


class MongoCandidates(_Reader):
    from_doc = staticmethod(docs.candidate_from_doc)


class MongoPairs(_Reader):
    from_doc = staticmethod(docs.pair_from_doc)

    def __init__(self, documents: AggregateDocuments) -> None:
        super().__init__(documents)
        self.index = kept_pairs_index(documents.collection.database)

    async def page(self, programme_id: UUID | None, status: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Pair], int]:
        if programme_id and index_serves(scope, programme_id):  # the programme's index pages, no query
            ids, total = await self.index.listed(programme_id, offset, limit, status=status)
            found = await fetch_by_id(self.docs.collection, ids, {"outbox": 0})
            return [docs.pair_from_doc(d) for d in found], total
        query: dict[str, Any] = {"programme_id": str(programme_id)} if programme_id else {}
        if status:
            query["status"] = status
        query = scope.narrow(query, members=("mentor_id", "mentee_id"))
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [docs.pair_from_doc(d) async for d in cursor], total


class MongoProgrammes:
    """The programme document: state, the decision's events (outbox) and documents (journal)."""

    def __init__(self, documents: AggregateDocuments, uow: MatchingUnitOfWork, pools: CachedPools) -> None:
        self.docs, self.uow, self.pools = documents, uow, pools
        self.journals: dict[UUID, Any] = {}  # as read: the last decision's documents, for the pool loader

    async def get(self, programme_id: UUID) -> Programme | None:
        doc = await self.docs.get(str(programme_id))
        if doc is None:
            return None
        self.journals[programme_id] = doc.get("journal")
        return docs.programme_from_doc(doc)

    def decide(self, programme: Programme, decision: Decision) -> None:
        async def write() -> None:
            for item in (*decision.candidates, *decision.pairs):
                item.version += 1
            journal = journal_of(decision.candidates, decision.pairs)
            doc = {**docs.programme_to_doc(programme), "journal": journal_text(journal)}
            since = programme.version
            if programme.version == 0:
                try:
                    await self.docs.insert(doc, decision.events)
                except AlreadyExists as exc:  # another instance created it meanwhile
                    raise ConcurrentUpdate(str(programme.programme_id)) from exc
                programme.version = 1
            else:
                key = doc.pop("_id")
                # Written ahead: this process decides the programme again and again (shared/mongo/aggregates.py).
                programme.version = await self.docs.update(key, programme.version, doc, decision.events, ahead=True)
            db = self.docs.collection.database
            if decision.events:
                self.uow.decided()  # published now, the journal after (unit_of_work.py says why)
                await PendingOutboxes.of(db).until_published(self.docs.collection.name, str(programme.programme_id),
                                                             programme.version)
            # Nobody wrote the programme between `since` and this write (its version check), so
            # the index pages this process wrote at `since` are the stored ones (journal.apply).
            await apply(db, journal, (since, programme.version))
            kept_pairs_index(db).follow(programme.programme_id, since, programme.version)  # no pair written too
            self.pools.committed(programme)

        self.uow.stage(write)


class MongoRounds(_Reader):
    from_doc = staticmethod(docs.round_from_doc)

    def __init__(self, documents: AggregateDocuments, uow: UnitOfWork) -> None:
        super().__init__(documents)
        self.uow = uow

    def add(self, round_: Round) -> None:
        async def write() -> None:
            await self.docs.insert(docs.round_to_doc(round_))
            round_.version = 1

        self.uow.stage(write)

    def update(self, round_: Round) -> None:
        async def write() -> None:
            doc = docs.round_to_doc(round_)
            round_.version = await self.docs.update(doc.pop("_id"), round_.version, doc)

        self.uow.stage(write)


class MongoPublications:
    """Batches of a published round: one document holds the events and the pairs of each batch."""

    def __init__(self, documents: AggregateDocuments, uow: "MongoUnitOfWorkParts") -> None:
        self.docs, self.uow = documents, uow

    def add(self, batch_id: str, programme_id: UUID, pairs: list[Pair], events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            for pair in pairs:
                pair.version = 1
            journal = journal_of([], pairs)
            try:
                await self.docs.insert({"_id": batch_id, "programme_id": str(programme_id),
                                        "journal": journal_text(journal), "applied": False}, events)
            except AlreadyExists:
                pass  # a replay: the first attempt's batch (and events) stand
            # Staged after the publishing decision's programme write, which just succeeded: the index
            # pages this process remembers at that version are still the stored ones (journal.apply).
            version = self.uow.pools.committed_version(programme_id)
            await self.settle(batch_id, journal, None if version is None else (version, version))

        self.uow.stage(write)

    async def settle(self, batch_id: str, journal: Any, versions: tuple[int, int] | None = None) -> None:
        await apply(self.docs.collection.database, journal, versions)
        async with locked([document_key(self.docs.collection, batch_id)]):
            await self.docs.collection.update_one({"_id": batch_id}, {"$set": {"applied": True}})

    async def unsettled(self, programme_id: UUID) -> None:
        """Writes the pairs of batches a stopped process stored but did not apply."""
        query = self.docs.collection.find({"programme_id": str(programme_id), "applied": False}, {"outbox": 0})
        for doc in [d async for d in query]:
            await self.settle(doc["_id"], doc["journal"])


class PoolLoader:
    """Reads a programme's pool from the store: the last decision's documents and any unapplied
    batch are written first, then every candidate and pair of the programme is read (once per
    process and programme, or when another instance decided in between), its pairs index pages and
    its members' data keys.
    FerretDB v1 scans every document stored for `{programme_id}`, so a programme never stored starts
    empty without a query."""

    def __init__(self, uow: "MongoUnitOfWorkParts") -> None:
        self.uow = uow

    async def __call__(self, programme: Programme) -> Pool:
        uow = self.uow
        index = uow.pairs.index
        if programme.version == 0:  # no document yet: only a decision writes its candidates and pairs,
            await index.remember_all(programme.programme_id, 0)  # (and index entries), and it writes
            return Pool(programme, [], [])  # the programme document first (no scan needed)
        await apply(uow.programmes.docs.collection.database, uow.programmes.journals.get(programme.programme_id))
        await uow.publications.unsettled(programme.programme_id)
        # The index pages too, at the version read: the decisions from it on write them without reading.
        # And the programme's data keys, kept by the process under the erasure epoch like any key it
        # reads (shared/crypto/keyring.py): an arrival then reads no partner's key.
        candidates, pairs, _, _ = await all_settled([uow.candidates.in_programme(programme.programme_id),
                                                     uow.pairs.in_programme(programme.programme_id),
                                                     index.remember_all(programme.programme_id, programme.version),
                                                     uow.keys.remember_programme(programme.programme_id)])
        return Pool(programme, candidates, pairs)


class MongoUnitOfWorkParts:
    keys: MongoKeys
    pools: CachedPools
    programmes: MongoProgrammes
    publications: MongoPublications
    candidates: MongoCandidates
    pairs: MongoPairs
