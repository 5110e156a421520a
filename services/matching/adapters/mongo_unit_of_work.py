from collections.abc import Callable

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


class MongoMatchingUnitOfWork(MatchingUnitOfWork):
    def __init__(self, db: AsyncDatabase, on_commit: Callable[[], None], cache: PoolCache) -> None:
        super().__init__(on_commit)
        self.candidates = MongoCandidates(AggregateDocuments(db["candidates"]))
        self.pairs = MongoPairs(AggregateDocuments(db["pairs"]))
        self.rounds = MongoRounds(AggregateDocuments(db["rounds"]), self)
        self.publications = MongoPublications(AggregateDocuments(db["publications"]), self)
        self.pools = CachedPools(cache, PoolLoader(self))  # type: ignore[arg-type]
        self.programmes = MongoProgrammes(AggregateDocuments(db["programmes"]), self, self.pools)
        self.erasure = StagedErasure(db, self, pairs_of)
        self.tombstones = Tombstones(db, self)
        self.keys = MongoKeys(db, self, self.tombstones)


async def ensure_indexes(db: AsyncDatabase) -> None:
    for name in RELAYED:
        await AggregateDocuments(db[name]).ensure_indexes()
    await db["candidates"].create_index("programme_id")
    await db["pairs"].create_index([("programme_id", 1), ("status", 1)])
    await db["publications"].create_index([("programme_id", 1), ("applied", 1)])
    if not await filters_only_by_id(db["participant_keys"]):  # FerretDB v1 would only maintain it, never read it
        await db["participant_keys"].create_index("programme_id")  # a pool load's keys (keyring.remember_programme)
    await move_entries(pairs_index_before(db), pairs_index(db))  # once: 16 pages -> 256
