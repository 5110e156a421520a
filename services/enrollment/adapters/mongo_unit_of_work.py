import contextlib
from collections.abc import Callable

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from enrollment.adapters.identities import MongoIdentities
from enrollment.adapters.participants import MongoParticipants
from enrollment.adapters.repositories import MongoCurricula, MongoProgrammes
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.erasure import StagedErasure
from shared.mongo.tombstones import Tombstones

COLLECTIONS = ("programmes", "participants", "enrollment_batches")


class MongoEnrollmentUnitOfWork(EnrollmentUnitOfWork):
    def __init__(self, db: AsyncDatabase, on_commit: Callable[[], None]) -> None:
        super().__init__(on_commit)
        self.curricula = MongoCurricula(db["curricula"], self)
        self.programmes = MongoProgrammes(AggregateDocuments(db["programmes"]), self)
        self.participants = MongoParticipants(AggregateDocuments(db["participants"]),
                                              AggregateDocuments(db["enrollment_batches"]), self)
        self.identities = MongoIdentities(db["identities"], self)
        self.erasure = StagedErasure(db, self)
        self.tombstones = Tombstones(db, self)


async def ensure_indexes(db: AsyncDatabase) -> None:
    for name in COLLECTIONS:
        await AggregateDocuments(db[name]).ensure_indexes()
    await db["identities"].create_index("participant_id")
    # Uniqueness per employee now lives in `identities` (letter case aside); the old index would
    # also make two erased tombstones (no employee id) collide.
    with contextlib.suppress(OperationFailure):
        await db["participants"].drop_index("programme_id_1_employee_id_1")
    await db["participants"].create_index([("programme_id", 1), ("country", 1), ("role", 1)])
    await db["programmes"].create_index("code", unique=True)
