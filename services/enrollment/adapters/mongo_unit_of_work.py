from collections.abc import Callable

from pymongo.asynchronous.database import AsyncDatabase

from enrollment.adapters.participants import MongoParticipants
from enrollment.adapters.repositories import MongoCurricula, MongoProgrammes
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.erasure import StagedErasure

COLLECTIONS = ("programmes", "participants", "enrollment_batches")


class MongoEnrollmentUnitOfWork(EnrollmentUnitOfWork):
    def __init__(self, db: AsyncDatabase, on_commit: Callable[[], None]) -> None:
        super().__init__(on_commit)
        self.curricula = MongoCurricula(db["curricula"], self)
        self.programmes = MongoProgrammes(AggregateDocuments(db["programmes"]), self)
        self.participants = MongoParticipants(AggregateDocuments(db["participants"]),
                                              AggregateDocuments(db["enrollment_batches"]), self)
        self.erasure = StagedErasure(db, self)


async def ensure_indexes(db: AsyncDatabase) -> None:
    for name in COLLECTIONS:
        await AggregateDocuments(db[name]).ensure_indexes()
    await db["participants"].create_index([("programme_id", 1), ("employee_id", 1)], unique=True)
    await db["participants"].create_index([("programme_id", 1), ("country", 1), ("role", 1)])
    await db["programmes"].create_index("code", unique=True)
