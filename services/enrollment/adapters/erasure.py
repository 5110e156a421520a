from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.erasure import erase_ids, replacement_ids
from shared.unit_of_work import UnitOfWork


class MongoErasure:
    def __init__(self, db: AsyncDatabase, uow: UnitOfWork) -> None:
        self.db, self.uow = db, uow

    def erase(self, participant_id: UUID, erasure_id: UUID) -> None:
        async def write() -> None:
            await erase_ids(self.db, replacement_ids(erasure_id, {str(participant_id)}))

        self.uow.stage(write)
