"""An aggregate's state and the events it emits, written together in one single-document update.

FerretDB (our local store) has no multi-document transactions, so the outbox lives inside the
aggregate's own document: `outbox` holds the events written (each entry with the version `v` that
wrote it) and `version` gives optimistic concurrency. A commit hands its entries to the relay, which
publishes them without reading the document; the markers (`outbox_markers.py`) say which writes may
still wait. The relay does not rewrite the document to empty its outbox: the aggregate's next write
drops the entries already published (whole, or not at all), so an event costs no extra document
rewrite. `outbox_pending` says the outbox is not empty (published or not: the markers say which wait).
"""

from collections.abc import Awaitable, Iterable, Mapping
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from shared.concurrently import all_settled
from shared.contracts import IntegrationEvent, topic_for
from shared.mongo.document_locks import document_key, locked
from shared.mongo.inserts import insert_absent
from shared.mongo.outbox_markers import PendingOutboxes
from shared.mongo.store_profile import filters_only_by_id
from shared.observability.tracing import traceparent_for


class AlreadyExists(Exception):
    pass


class ConcurrentUpdate(Exception):
    pass


def outbox_entry(event: IntegrationEvent, version: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "event_id": str(event.event_id),
        "event_type": event.event_type,
        "topic": topic_for(event),
        "key": event.partition_key,
        "correlation_id": str(event.correlation_id),
        # Stored as JSON text so the document keeps the exact bytes consumers will read.
        "value": event.model_dump_json(),
        "v": version,  # the write's version: its marker's, so a later write knows whether it left
    }
    # The trace of the request or event that caused it, continued when the relay publishes.
    if traceparent := traceparent_for(event.causation_id):
        entry["traceparent"] = traceparent
    return entry


async def compare_and_set(collection: AsyncCollection, aggregate_id: Any, expected_version: int,
                          update: Mapping[str, Any], before: Awaitable[Any] | None = None) -> bool:
    """One version-checked update; the caller holds the document's lock (`document_locks`).
    `before` (e.g. the outbox marker) is awaited before the update is sent, beside the version read."""
    if await filters_only_by_id(collection):
        # FerretDB would scan the collection for `{_id, version}` and checks the version outside its
        # write anyway; every writer of the document holds this process's lock, so reading the
        # version and then writing by `_id` is as safe, and both are index lookups.
        current, _ = await all_settled((collection.find_one({"_id": aggregate_id}, {"version": 1}), before or _done()))
        if current is None or current.get("version") != expected_version:
            return False
        return (await collection.update_one({"_id": aggregate_id}, update)).matched_count == 1
    if before is not None:
        await before
    result = await collection.update_one({"_id": aggregate_id, "version": expected_version}, update)
    return result.matched_count == 1


async def _done() -> None:
    return None


class AggregateDocuments:
    def __init__(self, collection: AsyncCollection) -> None:
        self.collection = collection
        self.pending = PendingOutboxes.for_collection(collection)

    async def ensure_indexes(self) -> None:
        """Only `_id` is needed: every read and write of an aggregate addresses it by `_id`."""

    async def get(self, aggregate_id: str) -> dict[str, Any] | None:
        return await self.collection.find_one({"_id": aggregate_id}, {"outbox": 0})

    async def insert(self, document: Mapping[str, Any], events: Iterable[IntegrationEvent] = ()) -> None:
        entries = [outbox_entry(e, 1) for e in events]
        written = [(document["_id"], 1)] if entries else []
        await self.pending.mark(self.collection.name, written)
        try:
            await self.collection.insert_one(
                {**document, "version": 1, "outbox": entries, "outbox_pending": bool(entries)}
            )
        except DuplicateKeyError as exc:
            raise AlreadyExists(document["_id"]) from exc
        self.pending.note(self.collection.name, written, entries)

    async def insert_many(self, items: Iterable[tuple[Mapping[str, Any], Iterable[IntegrationEvent]]]) -> set[str]:
        """Inserts new aggregates in one round trip; returns the ids that already existed (left untouched)."""
        documents = []
        for document, events in items:
            entries = [outbox_entry(e, 1) for e in events]
            documents.append({**document, "version": 1, "outbox": entries, "outbox_pending": bool(entries)})
        if not documents:
            return set()
        written = [(d["_id"], 1) for d in documents if d["outbox"]]
        await self.pending.mark(self.collection.name, written)
        existing = await insert_absent(self.collection, documents)
        for d in documents:
            if d["outbox"]:  # one left untouched: the relay reads what it holds
                self.pending.note(self.collection.name, [(d["_id"], 1)], None if d["_id"] in existing else d["outbox"])
        return existing

    async def update(
        self,
        aggregate_id: str,
        expected_version: int,
        changes: Mapping[str, Any],
        events: Iterable[IntegrationEvent] = (),
        removals: Iterable[str] = (),
    ) -> int:
        version = expected_version + 1
        entries = [outbox_entry(e, version) for e in events]
        update: dict[str, Any] = {"$set": {**changes, "version": version}}
        if removals:
            update["$unset"] = dict.fromkeys(removals, "")
        written = [(aggregate_id, version)] if entries else []
        async with locked([document_key(self.collection, aggregate_id)]):
            # The marker is stored before the update is sent (so a crash leaves no unmarked outbox),
            # and at the same time as the version is read: one round trip less per write.
            written_after = await self._write(aggregate_id, expected_version, update, entries,
                                              self.pending.mark(self.collection.name, written))
        if written_after is None:
            # Its marker stays (another process may have written that version): a relay that finds
            # the document below the marked version leaves it for a later pass, and a sweep deletes it.
            raise ConcurrentUpdate(f"{self.collection.name}/{aggregate_id} is not at version {expected_version}")
        # Behind entries another process left waiting, the relay reads the document to keep their order.
        self.pending.note(self.collection.name, written, None if written_after else entries)
        return version

    async def _write(self, aggregate_id: str, expected_version: int, update: dict[str, Any],
                     entries: list[dict[str, Any]], mark: Awaitable[None]) -> set[int | None] | None:
        """The version-checked update (None when the document is not at `expected_version`); returns
        the versions of entries another process left waiting in the outbox. The outbox is replaced
        when nothing in it waits, else appended to. The version is read with the outbox's entry
        versions (FerretDB decodes the whole document for either), beside the marker's write."""
        current, _ = await all_settled((self.collection.find_one({"_id": aggregate_id}, {"version": 1, "outbox.v": 1}),
                                        mark))
        if current is None or current.get("version") != expected_version:
            return None
        name = self.collection.name
        left = {e.get("v") for e in current.get("outbox") or []}
        mine, foreign = await self.pending.waiting(name, aggregate_id, left) if left else (set(), set())
        if left and not mine and not foreign:
            update["$set"].update(outbox=entries, outbox_pending=bool(entries))
        elif entries:
            update["$set"]["outbox_pending"] = True
            update["$push"] = {"outbox": {"$each": entries}}
        # FerretDB checks the version outside its write anyway and every writer holds this process's
        # lock: filtering by `_id` alone keeps the write an index look-up there (store_profile.py).
        query = {"_id": aggregate_id} if await filters_only_by_id(self.collection) else {
            "_id": aggregate_id, "version": expected_version}
        if (await self.collection.update_one(query, update)).matched_count != 1:
            return None
        if "outbox" in update["$set"]:
            self.pending.forget(name, aggregate_id, left)
        return foreign
