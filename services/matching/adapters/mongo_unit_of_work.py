from collections.abc import Callable
from dataclasses import dataclass, fields

from pymongo.asynchronous.database import AsyncDatabase

from matching.adapters.erasure import pairs_of
from matching.adapters.journal import pairs_index, pairs_index_before
from matching.adapters.repositories import (
    MongoCandidates,
    MongoPairs,
    MongoProgrammes,
    MongoPublications,
    MongoRounds,
    PoolLoader,
)
from matching.pools import CachedPools, PoolCache
from matching.unit_of_work import MatchingUnitOfWork
from shared.crypto.keyring import MongoKeys
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.erasure import StagedErasure
from shared.mongo.index_move import move_entries
from shared.mongo.store_profile import filters_only_by_id
from shared.mongo.tombstones import Tombstones

# Only these carry outboxes (the relay scans them): candidates and pairs are written through the
# programme's journal, so no query ever scans those large collections for pending events.
RELAYED = ("programmes", "publications")


@dataclass(frozen=True)
class _Documents:
    """A database's aggregate collections, built once per process by the factory below: a unit of work
    is built per event, and pymongo builds a collection object (its options) on every `db[name]`."""

    candidates: AggregateDocuments
    pairs: AggregateDocuments
    rounds: AggregateDocuments
    publications: AggregateDocuments
    programmes: AggregateDocuments

    @classmethod
    def of(cls, db: AsyncDatabase) -> "_Documents":
        return cls(*(AggregateDocuments(db[f.name]) for f in fields(cls)))


class MongoMatchingUnitOfWork(MatchingUnitOfWork):
    def __init__(self, db: AsyncDatabase, on_commit: Callable[[], None], cache: PoolCache,
                 documents: _Documents | None = None) -> None:
        super().__init__(on_commit)
        documents = documents or _Documents.of(db)
        self.candidates = MongoCandidates(documents.candidates)
        self.pairs = MongoPairs(documents.pairs)
        self.rounds = MongoRounds(documents.rounds, self)
        self.publications = MongoPublications(documents.publications, self)
        self.pools = CachedPools(cache, PoolLoader(self))  # type: ignore[arg-type]
        self.programmes = MongoProgrammes(documents.programmes, self, self.pools)
        self.erasure = StagedErasure(db, self, pairs_of)
        self.tombstones = Tombstones(db, self)
        self.keys = MongoKeys(db, self, self.tombstones)


class MatchingUnitsOfWork:
    """The service's unit of work factory (one per process): the database's collections are built at
    its first unit of work and kept while the runtime's database object stays the same."""

    def __init__(self, cache: PoolCache) -> None:
        self.cache = cache
        self.built: tuple[AsyncDatabase, _Documents] | None = None

    def __call__(self, db: AsyncDatabase, on_commit: Callable[[], None]) -> MongoMatchingUnitOfWork:
        if self.built is None or self.built[0] is not db:
            self.built = (db, _Documents.of(db))
        return MongoMatchingUnitOfWork(db, on_commit, self.cache, self.built[1])


async def ensure_indexes(db: AsyncDatabase) -> None:
    for name in RELAYED:
        await AggregateDocuments(db[name]).ensure_indexes()
    await db["candidates"].create_index("programme_id")
    await db["pairs"].create_index([("programme_id", 1), ("status", 1)])
    await db["publications"].create_index([("programme_id", 1), ("applied", 1)])
    if not await filters_only_by_id(db["participant_keys"]):  # FerretDB v1 would only maintain it, never read it
        await db["participant_keys"].create_index("programme_id")  # a pool load's keys (keyring.remember_programme)
    await move_entries(pairs_index_before(db), pairs_index(db))  # once: 16 pages -> 256
