"""Right to be forgotten inside one service's database.

Every occurrence of the erased participant's id, and of ids derived from it (their pairs, sessions,
surveys), is replaced by a fresh random id, and free-text fields are dropped. The replacements are
kept in the erasure tombstone only while the scrub runs (a replay after a crash reuses them), then
removed, so nothing links the anonymous documents back to the ids seen in Kafka.
Documents whose `_id` changes are re-inserted under the new id.

Pending outbox entries are never rewritten: an event id must always mean the same bytes, so the
relay publishes what was decided before the erasure (the events carry random ids and sealed
attributes, see docs/events.md), then removes it from the document. Entries already published (an
outbox is emptied lazily, `outbox_markers.py`) are dropped here: they would link the document to
the ids seen in Kafka. The waiting ones are re-marked under the document's new version.
Scanning every collection is fine for an operation this rare; it touches only matching documents.
"""

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.audit import COLLECTION as AUDIT
from shared.mongo.audit import erasure_entry
from shared.mongo.document_locks import document_key, locked
from shared.mongo.outbox_markers import COLLECTION as MARKERS
from shared.mongo.outbox_markers import PendingOutboxes
from shared.mongo.tombstones import COLLECTION, digest
from shared.unit_of_work import UnitOfWork

DerivedIds = Callable[[AsyncDatabase, str], Awaitable[set[str]]]

NOT_SCANNED_PREFIXES = ("processed_events", COLLECTION)  # the inbox (event ids only), the tombstones
KEPT_AS_WRITTEN = {"outbox", "outbox_pending", "_id"}


def replacement_ids(ids: Iterable[str]) -> dict[str, str]:
    return {old: str(uuid4()) for old in ids}


def _replace(value: Any, replacements: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for old, new in replacements.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace(v, replacements) for v in value]
    if isinstance(value, dict):  # keys too: index pages and agendas are keyed by ids
        return {_replace(k, replacements): _replace(v, replacements) for k, v in value.items()}
    return value


def _mentions(value: Any, ids: Iterable[str]) -> bool:
    text = repr(value)  # the outbox too: its published entries must go
    return any(i in text for i in ids)


async def _waiting(pending: PendingOutboxes, name: str, doc: Mapping[str, Any], version: int) -> list[dict]:
    """The document's outbox entries not yet published, carrying the version the scrub writes."""
    outbox = doc.get("outbox") or []
    if not isinstance(outbox, list):
        return outbox
    left = []
    for entry in outbox:
        if "v" not in entry:
            left.append(entry)
        elif any(await pending.waiting(name, doc["_id"], {entry["v"]})):
            left.append({**entry, "v": version})
    return left


def scrubbed(doc: Mapping[str, Any], replacements: Mapping[str, str], dropped: set[str]) -> dict[str, Any]:
    new = {k: (v if k in KEPT_AS_WRITTEN else _replace(v, replacements)) for k, v in doc.items() if k not in dropped}
    new["_id"] = _replace(doc["_id"], replacements)
    if "version" in new:
        new["version"] = doc["version"] + 1  # a writer holding the old version must re-read
    return new


async def erase_ids(db: AsyncDatabase, replacements: Mapping[str, str], drop_fields: Iterable[str] = ()) -> int:
    """Replaces the ids everywhere in the database; returns how many documents changed."""
    changed = 0
    dropped = set(drop_fields)
    # The markers last: the scrub of a document asks them which of its outbox entries still wait.
    for name in sorted(await db.list_collection_names(), key=lambda n: n == MARKERS):
        if name.startswith(NOT_SCANNED_PREFIXES):
            continue
        collection = db[name]
        async for doc in collection.find({}):
            if not _mentions(doc, replacements):
                continue
            new = scrubbed(doc, replacements, dropped)
            async with locked([document_key(collection, doc["_id"]), document_key(collection, new["_id"])]):
                if "outbox" in doc and "version" in new:
                    new["outbox"] = await _waiting(PendingOutboxes.of(db), name, doc, new["version"])
                    new["outbox_pending"] = bool(new["outbox"])
                # Events still waiting, perhaps under a new id: the relay must find them there.
                written = [(new["_id"], new["version"])] if new.get("outbox") else []
                await PendingOutboxes.of(db).mark(name, written)
                if new["_id"] == doc["_id"]:
                    await collection.replace_one({"_id": doc["_id"]}, new)
                else:
                    await collection.replace_one({"_id": new["_id"]}, new, upsert=True)
                    await collection.delete_one({"_id": doc["_id"]})
                PendingOutboxes.of(db).note(name, written)
            changed += 1
    return changed


async def ids_linked_to(db: AsyncDatabase, participant_id: str, collection: str, fields: Iterable[str]) -> set[str]:
    """The `_id`s of documents in `collection` whose `fields` name the participant (e.g. their pairs)."""
    found: set[str] = set()
    for field in fields:
        async for doc in db[collection].find({field: participant_id}, {"_id": 1}):
            found.add(str(doc["_id"]))
    return found


async def no_derived_ids(db: AsyncDatabase, participant_id: str) -> set[str]:
    return set()


class StagedErasure:
    """A unit of work's erasure port: each service says only which of its ids derive from the person."""

    def __init__(self, db: AsyncDatabase, uow: UnitOfWork, derived_ids: DerivedIds = no_derived_ids,
                 drop_fields: Iterable[str] = ()) -> None:
        self.db, self.uow, self.derived_ids, self.drop_fields = db, uow, derived_ids, tuple(drop_fields)

    def erase(self, participant_id: UUID, erasure_id: UUID) -> None:
        tombstones = self.db[COLLECTION]
        key = digest(participant_id)

        async def write() -> None:
            tombstone = await tombstones.find_one({"_id": key}) or {}
            if tombstone.get("done"):
                return  # a redelivered erasure
            replacements = tombstone.get("replacements")
            if not replacements:
                pid = str(participant_id)
                replacements = replacement_ids({pid, *await self.derived_ids(self.db, pid)})
                await tombstones.update_one({"_id": key}, {"$set": {"replacements": replacements, "done": False}},
                                            upsert=True)
            changed = await erase_ids(self.db, replacements, self.drop_fields)
            # The trail keeps that the erasure reached this service, under the random id that now stands
            # for the person (the one the audit entries of the request were rewritten to).
            entry = erasure_entry(erasure_id, replacements[str(participant_id)], changed, datetime.now(UTC))
            audit_key = entry.pop("_id")
            await self.db[AUDIT].update_one({"_id": audit_key}, {"$setOnInsert": entry}, upsert=True)
            await tombstones.update_one({"_id": key}, {"$set": {"done": True}, "$unset": {"replacements": ""}})

        self.uow.stage(write)
