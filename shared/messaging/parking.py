"""Events parked until what they await arrives (`Deferred`), kept as the exact record read from Kafka.

A parked event's offset is committed, so its partition keeps flowing; the record lives on here, in
the service's own database, until it is applied, dropped or (after `max_wait_s`) dead-lettered. Each
is retried when `release(awaiting)` names it, and by a sweep with a back-off (a release can pass
between a handler's look and the park, and a process can stop in between).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "parked_events"
FIRST_RETRY_S, LONGEST_RETRY_S = 1.0, 300.0


@dataclass(frozen=True)
class ParkedRecord:
    """The fields of aiokafka's ConsumerRecord that delivery and dead-lettering read."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]


def now() -> datetime:
    return datetime.now(UTC)


class ParkedEvents:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("awaiting")

    async def park(self, record: Any, awaiting: str, reason: str) -> None:
        # Pairs as documents: FerretDB v1 stores no arrays nested in arrays.
        headers = [{"name": str(k), "value": v if isinstance(v, bytes) else str(v).encode()}
                   for k, v in (record.headers or [])]
        doc = {"topic": record.topic, "partition": record.partition, "offset": record.offset, "key": record.key,
               "value": record.value, "headers": headers, "awaiting": awaiting, "reason": reason,
               "parked_at": now(), "next_try_at": now() + timedelta(seconds=FIRST_RETRY_S), "tries": 0}
        # The same record parked again (a redelivery) keeps its first parking time.
        parked_id = f"{record.topic}:{record.partition}:{record.offset}"
        await self.collection.update_one({"_id": parked_id}, {"$setOnInsert": doc}, upsert=True)

    async def awaiting(self, awaiting: str) -> list[dict[str, Any]]:
        return [d async for d in self.collection.find({"awaiting": awaiting}).sort("parked_at", 1)]

    async def due(self, limit: int = 100) -> list[dict[str, Any]]:
        cursor = self.collection.find({"next_try_at": {"$lte": now()}}).sort("next_try_at", 1).limit(limit)
        return [d async for d in cursor]

    async def count(self) -> int:
        return await self.collection.count_documents({})

    async def still_waiting(self, doc: dict[str, Any], awaiting: str, reason: str) -> None:
        delay = min(FIRST_RETRY_S * 2 ** (doc["tries"] + 1), LONGEST_RETRY_S)
        await self.collection.update_one({"_id": doc["_id"]}, {
            "$set": {"awaiting": awaiting, "reason": reason, "next_try_at": now() + timedelta(seconds=delay)},
            "$inc": {"tries": 1}})

    async def remove(self, doc: dict[str, Any]) -> None:
        await self.collection.delete_one({"_id": doc["_id"]})


def record_of(doc: dict[str, Any]) -> ParkedRecord:
    return ParkedRecord(doc["topic"], doc["partition"], doc["offset"], doc.get("key"), doc.get("value"),
                        [(h["name"], bytes(h["value"])) for h in doc.get("headers", [])])


def waited_s(doc: dict[str, Any]) -> float:
    parked_at = doc["parked_at"]
    if parked_at.tzinfo is None:  # the store hands datetimes back naive (UTC)
        parked_at = parked_at.replace(tzinfo=UTC)
    return (now() - parked_at).total_seconds()
