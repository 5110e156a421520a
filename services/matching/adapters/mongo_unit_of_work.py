from collections.abc import Callable

from pymongo.asynchronous.database import AsyncDatabase

from matching.adapters.erasure import pairs_of
from matching.adapters.repositories import MongoCandidates, MongoPairs, MongoProgrammes, MongoRounds
from matching.unit_of_work import MatchingUnitOfWork
from shared.crypto.keyring import MongoKeys
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.erasure import StagedErasure
from shared.mongo.tombstones import Tombstones

COLLECTIONS = ("candidates", "pairs", "programmes", "rounds")


class MongoMatchingUnitOfWork(MatchingUnitOfWork):
    def __init__(self, db: AsyncDatabase, on_commit: Callable[[], None]) -> None:
        super().__init__(on_commit)
        self.candidates = MongoCandidates(AggregateDocuments(db["candidates"]), self)
        self.pairs = MongoPairs(AggregateDocuments(db["pairs"]), self)
        self.programmes = MongoProgrammes(AggregateDocuments(db["programmes"]), self)
        self.rounds = MongoRounds(AggregateDocuments(db["rounds"]), self)
        self.erasure = StagedErasure(db, self, pairs_of)
        self.tombstones = Tombstones(db, self)
        self.keys = MongoKeys(db, self)


async def ensure_indexes(db: AsyncDatabase) -> None:
    for name in COLLECTIONS:
        await AggregateDocuments(db[name]).ensure_indexes()
    await db["candidates"].create_index("programme_id")
    await db["pairs"].create_index([("programme_id", 1), ("status", 1)])
