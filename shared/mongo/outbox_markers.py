"""Which aggregate documents hold unpublished events, known without scanning any collection.

Before a write puts events in a document's outbox, it upserts a small marker document
(`outbox_markers`, `_id` = "<collection>/<aggregate id>/<version written>"); after the write the
same (id, version) is noted in memory. The relay, woken by the commit, visits exactly the noted
documents by `_id`; its rare sweep reads only the markers (one per write still waiting), so a relay
restarted after a crash finds every pending outbox. Having published what it read at version v, the
relay deletes markers up to v only: a write that lands meanwhile has a higher version and keeps its
marker, so no lock is needed between writers and the relay.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import ClassVar

from pymongo import DeleteOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "outbox_markers"
# collection name -> aggregate id -> versions written with events
Pending = dict[str, dict[object, set[int]]]


def _marker_id(collection: str, aggregate_id: object, version: int) -> str:
    return f"{collection}/{aggregate_id}/{version}"


def _empty() -> Pending:
    return defaultdict(lambda: defaultdict(set))


class PendingOutboxes:
    """One per database and process: the durable markers, plus what this process wrote since the last pass."""

    _by_database: ClassVar[dict[str, "PendingOutboxes"]] = {}

    def __init__(self, db: AsyncDatabase) -> None:
        self.markers = db[COLLECTION]
        self._noted = _empty()

    @classmethod
    def of(cls, db: AsyncDatabase) -> "PendingOutboxes":
        found = cls._by_database.get(db.name)
        if found is None or found.markers.database.client is not db.client:
            found = cls._by_database[db.name] = cls(db)
        return found

    @classmethod
    def for_collection(cls, collection: AsyncCollection) -> "PendingOutboxes":
        return cls.of(collection.database)

    async def mark(self, collection: str, writes: Iterable[tuple[object, int]]) -> None:
        now = datetime.now(UTC)  # the outbox age metric reads it
        upserts = [UpdateOne({"_id": _marker_id(collection, i, v)},
                             {"$setOnInsert": {"collection": collection, "aggregate_id": i, "written": v,
                                               "marked_at": now}},
                             upsert=True) for i, v in writes]
        if upserts:
            await self.markers.bulk_write(upserts, ordered=False)

    def note(self, collection: str, writes: Iterable[tuple[object, int]]) -> None:
        for aggregate_id, version in writes:
            self._noted[collection][aggregate_id].add(version)

    def take(self) -> Pending:
        noted, self._noted = self._noted, _empty()
        return noted

    def has_noted(self) -> bool:
        return any(self._noted.values())

    async def sweep(self) -> Pending:
        """Every marked write (the collection holds only the waiting ones, so this reads no more)."""
        found = _empty()
        async for marker in self.markers.find({}):
            found[marker["collection"]][marker["aggregate_id"]].add(marker["written"])
        return found

    async def clear(self, collection: str, aggregate_id: object, versions: Iterable[int]) -> None:
        await self.clear_all({collection: {aggregate_id: set(versions)}})

    async def clear_all(self, published: Pending) -> None:
        """Deletes the markers of the published writes (many documents' at once: one round trip)."""
        deletes = [DeleteOne({"_id": _marker_id(collection, aggregate_id, v)})
                   for collection, ids in published.items() for aggregate_id, versions in ids.items()
                   for v in versions]
        if deletes:
            await self.markers.bulk_write(deletes, ordered=False)
