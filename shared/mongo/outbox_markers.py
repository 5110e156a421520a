"""Which aggregate documents hold unpublished events, known without scanning any collection.

Before a write puts events in a document's outbox, it upserts a small marker document
(`outbox_markers`, `_id` = "<collection>/<aggregate id>/<version written>"); after the write the
same (id, version) is noted in memory together with the entries written, so the relay publishes
them without reading the document. Its rare sweep reads only the markers (one per write still
waiting), so a relay restarted after a crash finds every pending outbox and reads those documents.
Having published a write's entries, the relay deletes its marker: a marker exists for every write
whose entries may be unpublished, which is what lets a writer drop entries it knows nothing about.

Published entries are not removed from the document by the relay (a FerretDB update rewrites the
whole document): the relay remembers the published versions here, and the aggregate's next write
drops them (`aggregates.py`); a document left unwritten for a sweep interval has them removed by
the relay's sweeps (`OutboxRelay._tidy`, `OUTBOX_TIDY_PER_SWEEP` documents per sweep: after a large
import the last ones wait hours, which costs space, not correctness).
"""

import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from pymongo import DeleteOne, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.updates import bulk_update

COLLECTION = "outbox_markers"
REMEMBERED = 100_000  # documents whose published versions are kept; beyond, the markers are asked
Entries = list[dict[str, Any]]
# collection name -> aggregate id -> version written -> its entries, when this process holds them
Pending = dict[str, dict[object, dict[int, Entries | None]]]


def marker_id(collection: str, aggregate_id: object, version: int) -> str:
    return f"{collection}/{aggregate_id}/{version}"


def _empty() -> Pending:
    return defaultdict(lambda: defaultdict(dict))


class PendingOutboxes:
    """One per database and process: the durable markers, what this process wrote since the last pass,
    and which versions of which documents it has published."""

    _by_database: ClassVar[dict[str, "PendingOutboxes"]] = {}

    def __init__(self, db: AsyncDatabase) -> None:
        self.markers = db[COLLECTION]
        self._noted = _empty()
        # (collection, aggregate id) -> (versions published, still in the document, when last published)
        self._published: OrderedDict[tuple[str, object], tuple[set[int], float]] = OrderedDict()
        self._in_flight: dict[tuple[str, object], set[int]] = {}  # noted here, not published yet

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
        upserts = [UpdateOne({"_id": marker_id(collection, i, v)},
                             {"$setOnInsert": {"collection": collection, "aggregate_id": i, "written": v,
                                               "marked_at": now}},
                             upsert=True) for i, v in writes]
        if upserts:
            await bulk_update(self.markers, upserts, ordered=False)

    def note(self, collection: str, writes: Iterable[tuple[object, int]], entries: Entries | None = None) -> None:
        """Writes committed; with `entries` (those of each write) the relay need not read the documents."""
        for aggregate_id, version in writes:
            self._in_flight.setdefault((collection, aggregate_id), set()).add(version)
            held = self._noted[collection][aggregate_id]
            if held.get(version) is None:
                held[version] = entries

    def take(self) -> Pending:
        noted, self._noted = self._noted, _empty()
        return noted

    def has_noted(self) -> bool:
        return any(self._noted.values())

    async def sweep(self) -> Pending:
        """Every marked write (the collection holds only the waiting ones, so this reads no more)."""
        found = _empty()
        async for marker in self.markers.find({}):
            found[marker["collection"]][marker["aggregate_id"]].setdefault(marker["written"], None)
        return found

    async def clear_all(self, published: dict[str, dict[object, Iterable[int]]]) -> None:
        """Deletes the markers of the published writes (many documents' at once: one round trip)."""
        deletes = [DeleteOne({"_id": marker_id(collection, aggregate_id, v)})
                   for collection, ids in published.items() for aggregate_id, versions in ids.items()
                   for v in versions]
        if deletes:
            await self.markers.bulk_write(deletes, ordered=False)

    def published(self, collection: str, aggregate_id: object, versions: Iterable[int]) -> None:
        """These versions left (none: look at the document again a sweep interval from now)."""
        key, versions = (collection, aggregate_id), set(versions)
        if (flying := self._in_flight.get(key)) is not None:
            flying.difference_update(versions)
            if not flying:
                del self._in_flight[key]
        known = self._published.pop(key, (set(), 0.0))[0]
        self._published[key] = (known | versions, time.monotonic())
        while len(self._published) > REMEMBERED:
            self._published.popitem(last=False)

    def published_versions(self, collection: str, aggregate_id: object) -> set[int]:
        return self._published.get((collection, aggregate_id), (set(), 0.0))[0]

    def quiet(self, for_s: float, limit: int) -> list[tuple[str, object]]:
        """Documents holding published entries, none published in the last `for_s` seconds."""
        cutoff = time.monotonic() - for_s
        found: list[tuple[str, object]] = []
        for key, (_, at) in self._published.items():
            if at > cutoff or len(found) == limit:
                break
            found.append(key)
        return found

    async def waiting(self, collection: str, aggregate_id: object,
                      versions: Iterable[int | None]) -> tuple[set[int], set[int | None]]:
        """Which of the versions whose entries a document holds are still to be published: those this
        process noted (its relay will publish them), and those of another or a crashed process (or
        `None`: stored before entries carried a version). Versions this process knows nothing of are
        asked of the markers: no marker, nothing waiting."""
        key = (collection, aggregate_id)
        unknown = set(versions) - self.published_versions(collection, aggregate_id)
        mine = {v for v in unknown if v is not None and v in self._in_flight.get(key, ())}
        foreign = set()
        for v in unknown - mine:
            if v is None or await self.markers.find_one({"_id": marker_id(collection, aggregate_id, v)}, {"_id": 1}):
                foreign.add(v)
        return mine, foreign

    def forget(self, collection: str, aggregate_id: object, versions: Iterable[int | None]) -> None:
        """The document's entries of these versions were dropped."""
        if (found := self._published.get((collection, aggregate_id))) is not None:
            found[0].difference_update(versions)
            if not found[0]:
                del self._published[(collection, aggregate_id)]
