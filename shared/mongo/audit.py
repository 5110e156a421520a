"""The audit trail in the service's own database: one insert per entry (cheap even on FerretDB,
where every query scans its collection); reading it is for platform admins, rarely.

An erasure replaces the person's ids in these entries as everywhere else (shared/mongo/erasure.py),
so the trail keeps who did what, without pointing back at the person.
"""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "audit"


class MongoAuditLog:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("at")
        await self.collection.create_index("participant_ids")

    async def record(self, entry: dict[str, Any]) -> None:
        await self.collection.insert_one(entry)

    async def page(self, participant_id: UUID | None, subject: str | None, operation: str | None,
                   since: datetime | None, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        query: dict[str, Any] = {}
        if participant_id:
            query["participant_ids"] = str(participant_id)
        if subject:
            query["subject"] = subject
        if operation:
            query["operation"] = operation
        if since:
            query["at"] = {"$gte": since}
        total = await self.collection.count_documents(query)
        cursor = self.collection.find(query).sort("at", -1).skip(offset).limit(limit)
        return [d async for d in cursor], total


def erasure_entry(erasure_id: UUID, replacement_id: str, documents: int, at: datetime) -> dict[str, Any]:
    """What an erasure leaves in the trail: the erasure event and the id that now stands for the person."""
    # One entry per erasure and service, even when the event is delivered twice.
    return {"_id": str(uuid5(erasure_id, "erasure-applied")), "at": at, "subject": "ParticipantErased",
            "role": "system", "client_id": None, "operation": "participants.erasure-applied", "method": None,
            "path": None, "participant_ids": [replacement_id], "status": 200, "documents_changed": documents,
            "correlation_id": None, "erasure_id": str(erasure_id)}
