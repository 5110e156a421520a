"""Makes a consumer idempotent: an event id is recorded once its effect is stored."""

from datetime import UTC, datetime
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


class Inbox:
    def __init__(self, db: AsyncDatabase) -> None:
        # _id is the event id: the primary key is the unique index that makes recording race-free.
        self.collection = db["processed_events"]

    async def seen(self, event_id: UUID) -> bool:
        return await self.collection.find_one({"_id": str(event_id)}, {"_id": 1}) is not None

    async def record(self, event_id: UUID, topic: str) -> None:
        try:
            await self.collection.insert_one(
                {"_id": str(event_id), "topic": topic, "processed_at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            pass
