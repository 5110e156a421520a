"""An aggregate's state and the events it emits, written together in one single-document update.

FerretDB (our local store) has no multi-document transactions, so the outbox lives inside the
aggregate's own document: `outbox` holds the pending events, `outbox_pending` flags documents the
relay must visit, and `version` gives optimistic concurrency.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.contracts import IntegrationEvent, topic_for
from shared.mongo.document_locks import document_key, locked
from shared.observability.tracing import current_traceparent


class AlreadyExists(Exception):
    pass


class ConcurrentUpdate(Exception):
    pass


def outbox_entry(event: IntegrationEvent) -> dict[str, str]:
    entry = {
        "event_id": str(event.event_id),
        "event_type": event.event_type,
        "topic": topic_for(event),
        "key": event.partition_key,
        "correlation_id": str(event.correlation_id),
        # Stored as JSON text so the document keeps the exact bytes consumers will read.
        "value": event.model_dump_json(),
    }
    # The trace of the request or event that caused it, continued when the relay publishes.
    if traceparent := current_traceparent():
        entry["traceparent"] = traceparent
    return entry


class AggregateDocuments:
    def __init__(self, collection: AsyncCollection) -> None:
        self.collection = collection

    async def ensure_indexes(self) -> None:
        await self.collection.create_index("outbox_pending")

    async def get(self, aggregate_id: str) -> dict[str, Any] | None:
        return await self.collection.find_one({"_id": aggregate_id}, {"outbox": 0})

    async def insert(self, document: Mapping[str, Any], events: Iterable[IntegrationEvent] = ()) -> None:
        entries = [outbox_entry(e) for e in events]
        try:
            await self.collection.insert_one(
                {**document, "version": 1, "outbox": entries, "outbox_pending": bool(entries)}
            )
        except DuplicateKeyError as exc:
            raise AlreadyExists(document["_id"]) from exc

    async def insert_many(self, items: Iterable[tuple[Mapping[str, Any], Iterable[IntegrationEvent]]]) -> set[str]:
        """Inserts new aggregates in one round trip; returns the ids that already existed (left untouched)."""
        documents = []
        for document, events in items:
            entries = [outbox_entry(e) for e in events]
            documents.append({**document, "version": 1, "outbox": entries, "outbox_pending": bool(entries)})
        if not documents:
            return set()
        try:
            await self.collection.insert_many(documents, ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != 11000 for e in errors):
                raise
            return {documents[e["index"]]["_id"] for e in errors}
        return set()

    async def update(
        self,
        aggregate_id: str,
        expected_version: int,
        changes: Mapping[str, Any],
        events: Iterable[IntegrationEvent] = (),
        removals: Iterable[str] = (),
    ) -> int:
        entries = [outbox_entry(e) for e in events]
        update: dict[str, Any] = {"$set": {**changes, "version": expected_version + 1}}
        if removals:
            update["$unset"] = dict.fromkeys(removals, "")
        if entries:
            update["$set"]["outbox_pending"] = True
            update["$push"] = {"outbox": {"$each": entries}}
        async with locked([document_key(self.collection, aggregate_id)]):
            result = await self.collection.update_one({"_id": aggregate_id, "version": expected_version}, update)
        if result.matched_count != 1:
            raise ConcurrentUpdate(f"{self.collection.name}/{aggregate_id} is not at version {expected_version}")
        return expected_version + 1
