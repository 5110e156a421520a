"""An aggregate's state and the events it emits, written together in one single-document update.

FerretDB (our local store) has no multi-document transactions, so the outbox lives inside the
aggregate's own document: `outbox` holds the events written (each entry with the version `v` that
wrote it) and `version` gives optimistic concurrency. A commit hands its entries to the relay, which
publishes them without reading the document; the markers (`outbox_markers.py`) say which writes may
still wait. The relay does not rewrite the document to empty its outbox: the aggregate's next write
drops the entries already published (whole, or not at all), so an event costs no extra document
rewrite. `outbox_pending` says the outbox is not empty (published or not: the markers say which wait).

A write costs two round trips in a row: [the marker's upsert | the version read], then the update. A
document one process writes again and again (`update(..., ahead=True)`: matching's programmes) costs
one when this process wrote it last: right after each such write, in the background, the marker of the
next version is created flagged ahead (`PendingOutboxes.after_write`), and the next write, if this
process still holds the version it wrote and that marker's creation succeeded (it created it: one
that existed is not trusted), sends only the update, filtered by `{_id, version}` (the version check;
on our FerretDB as cheap as `{_id}` for a collection of few documents, bench/version_filter.py). Else (first
write, another process wrote, a failed write, another process's entries still waiting) the ordinary
path runs, and finding the marker ahead it stamps it after its write as well.

Why no event is lost, whatever step a process dies after (the markers' rule is in outbox_markers.py:
a marker flagged ahead is never deleted at its document's version + 1):
- ahead marker created, no write under it: it stands at the version + 1 for good; nothing to publish.
  The next write, by anyone, lands under it (ordinary path: its own marking finds it) or moves past it.
- one-trip write landed, not stamped: the marker exists (created before, not deletable before the
  document reached its version), so a relay's sweep finds it at the document's version, stamps it and
  publishes the entries the document holds at that version; the writer's relay, if alive, publishes
  them from memory first (at least once: consumers dedupe). A write by another process meanwhile
  keeps those entries (its `waiting` finds the marker), so their order is kept.
- stamp done, not published: an ordinary marker, as today.
- the update failed its version check (another process wrote): nothing landed under the marker;
  the writer drops what it remembered and the decision is made again by the ordinary path.
Order per document: the version check serialises writes; entries are published by version (relay).

The outbox-age alert reads `marked_at`, which an ahead marker lacks: it sees an ordinary write from
its marking, a one-trip write from its stamp (milliseconds after it lands), and one whose process died
before the stamp from the first sweep that finds it (start of the next process, or any running
relay of the service within `sweep_interval_s`).
"""

import asyncio
import logging
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

log = logging.getLogger(__name__)


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


# (versions of entries another process left waiting, versions of the entries the outbox holds after)
_Outcome = tuple[set[int | None], set[int | None]]


def _outbox_change(update: dict[str, Any], entries: list[dict[str, Any]], left: set[int | None],
                   replace: bool) -> set[int | None]:
    """The update's outbox part: replaced by this write's entries (nothing in it waits) or appended to;
    returns the entry versions the outbox holds after it."""
    if replace:
        update["$set"].update(outbox=entries, outbox_pending=bool(entries))
        return {e["v"] for e in entries}
    if entries:
        update["$set"]["outbox_pending"] = True
        update["$push"] = {"outbox": {"$each": entries}}
    return left | {e["v"] for e in entries}


class _Marked:
    """The marker's write, remembering whether it found the marker written ahead."""

    def __init__(self, mark: Awaitable[bool | None]) -> None:
        self.mark, self.ahead = mark, False

    async def wait(self) -> None:
        self.ahead = bool(await self.mark)


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
        ahead: bool = False,
    ) -> int:
        """`ahead`: a document this process writes again and again (a programme): its next write's marker
        is created right after this one, so that write, if nobody wrote the document meanwhile, is one
        round trip (the module's docstring)."""
        version = expected_version + 1
        entries = [outbox_entry(e, version) for e in events]
        update: dict[str, Any] = {"$set": {**changes, "version": version}}
        if removals:
            update["$unset"] = dict.fromkeys(removals, "")
        name = self.collection.name
        written = [(aggregate_id, version)] if entries else []
        async with locked([document_key(self.collection, aggregate_id)]):
            left = await self.pending.written_last(name, aggregate_id, expected_version) if ahead else None
            mine: set[int] = set()
            if left:
                mine, foreign = await self.pending.waiting(name, aggregate_id, left)
                if foreign:  # another process's entries: the ordinary path reads the document, keeps their order
                    left = None
            if left is not None:
                outcome = await self._write_ahead(aggregate_id, expected_version, update, entries, left, mine)
                landed = ("stamp" if entries else "delete") if outcome is not None else None
            else:
                # The marker is stored before the update is sent (so a crash leaves no unmarked outbox),
                # and at the same time as the version is read: one round trip less per write.
                mark = (self.pending.mark_one(name, aggregate_id, version) if ahead and entries
                        else self.pending.mark(name, written))
                marked = _Marked(mark)
                outcome = await self._write(aggregate_id, expected_version, update, entries, marked.wait())
                landed = "stamp" if marked.ahead else None
            if outcome is None:
                self.pending.forget_written(name, aggregate_id)
            elif ahead:
                task = asyncio.get_running_loop().create_task(self._after(aggregate_id, version, landed))
                self.pending.wrote(name, aggregate_id, version, outcome[1], task)
        if outcome is None:
            # Its marker stays (another process may have written that version): a relay that finds
            # the document below the marked version leaves it for a later pass, and a sweep deletes it.
            raise ConcurrentUpdate(f"{name}/{aggregate_id} is not at version {expected_version}")
        # Behind entries another process left waiting, the relay reads the document to keep their order.
        self.pending.note(name, written, None if outcome[0] else entries)
        return version

    async def _after(self, aggregate_id: str, version: int, landed: str | None) -> bool:
        try:
            if landed == "stamp":  # events to publish: the relay's send first (ACK_WAIT_S says why)
                await self.pending.until_published(self.collection.name, aggregate_id, version)
            return await self.pending.after_write(self.collection.name, aggregate_id, version, landed)
        except Exception:
            # The next write takes the ordinary path; a marker left ahead is a sweep's to judge.
            log.warning("could not write the marker of %s/%s ahead", self.collection.name, aggregate_id,
                        exc_info=True)
            return False

    async def _write_ahead(self, aggregate_id: str, expected_version: int, update: dict[str, Any],
                           entries: list[dict[str, Any]], left: set[int | None], mine: set[int]) -> _Outcome | None:
        """The write this process made last is the document's, and this write's marker exists (made
        ahead): the update alone, filtered by `{_id, version}`. `left`: the entry versions this
        process left in the outbox (fewer, if the relay removed some since: nothing else does), of
        which `mine` still wait for this process's relay."""
        name = self.collection.name
        after = _outbox_change(update, entries, left, replace=not mine)
        # The only version check, so `{_id, version}` even on FerretDB: measured on ours, it costs what
        # `{_id}` does up to 100 documents of 16 KB, +1 ms at 1,000 (docs/benchmarks.md, "onetrip12").
        if (await self.collection.update_one({"_id": aggregate_id, "version": expected_version},
                                             update)).matched_count != 1:
            return None
        if not mine:
            self.pending.forget(name, aggregate_id, left)
        return set(), after

    async def _write(self, aggregate_id: str, expected_version: int, update: dict[str, Any],
                     entries: list[dict[str, Any]], mark: Awaitable[None]) -> _Outcome | None:
        """The version-checked update (None when the document is not at `expected_version`); returns
        the versions of entries another process left waiting in the outbox, and those the outbox
        holds after. The outbox is replaced when nothing in it waits, else appended to. The version is
        read with the outbox's entry versions (FerretDB decodes the whole document for either), beside
        the marker's write."""
        current, _ = await all_settled((self.collection.find_one({"_id": aggregate_id}, {"version": 1, "outbox.v": 1}),
                                        mark))
        if current is None or current.get("version") != expected_version:
            return None
        name = self.collection.name
        left = {e.get("v") for e in current.get("outbox") or []}
        mine, foreign = await self.pending.waiting(name, aggregate_id, left) if left else (set(), set())
        after = _outbox_change(update, entries, left, replace=bool(left) and not mine and not foreign)
        # FerretDB checks the version outside its write anyway and every writer holds this process's
        # lock: filtering by `_id` alone keeps the write an index look-up there (store_profile.py).
        query = {"_id": aggregate_id} if await filters_only_by_id(self.collection) else {
            "_id": aggregate_id, "version": expected_version}
        if (await self.collection.update_one(query, update)).matched_count != 1:
            return None
        if "outbox" in update["$set"]:
            self.pending.forget(name, aggregate_id, left)
        return foreign, after
