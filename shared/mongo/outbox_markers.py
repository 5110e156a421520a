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

A marker can also be written ahead (`write_ahead`): right after this process's write of a document at
version v, the marker of (document, v + 1) is created flagged `ahead`, with no `marked_at`, so that the
process's next write, if the document still stands at v, needs no marker first: one round trip
(`aggregates.py` gives the argument). The rule, without clocks: an ahead marker is garbage only once its
document has moved past its version. Until a write lands under it, it stands at the document's version
+ 1 and no sweep deletes it; once one has (its document at its version or later), it is an ordinary
marker: `stamp` gives it `marked_at` and drops the flag (the writer right after its write; a relay's
sweep that finds it so, before publishing), and the relay publishes what the document holds at that
version, then deletes it. The outbox-age alert reads `marked_at` only: it never sees an ahead marker
nothing has landed under, and sees a landed one from its stamp.
"""

import asyncio
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
AHEAD = "ahead"  # the flag of a marker written ahead of its write
REMEMBERED = 100_000  # documents whose published versions are kept; beyond, the markers are asked
Entries = list[dict[str, Any]]
# collection name -> aggregate id -> version written -> its entries, when this process holds them
Pending = dict[str, dict[object, dict[int, Entries | None]]]
# How long a write's follow-up work (matching's journal, the markers' stamp) waits for the broker's ack
# of the write's events before it goes anyway: sent while the relay sends, that work (on this event
# loop and in the store) held the ack of a decision's PairCreated back, 2.8 ms -> 6.4 at the median
# (docs/benchmarks.md, "ack12"). The write stands once it lands; the rest only has to follow.
ACK_WAIT_S = 0.05


def marker_id(collection: str, aggregate_id: object, version: int) -> str:
    return f"{collection}/{aggregate_id}/{version}"


def _stamp(collection: str, aggregate_id: object, version: int) -> UpdateOne:
    # Not an upsert: a relay that published the write meanwhile deleted the marker, and it stays so.
    return UpdateOne({"_id": marker_id(collection, aggregate_id, version)},
                     {"$set": {"marked_at": datetime.now(UTC)}, "$unset": {AHEAD: ""}})


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
        # (collection, aggregate id) -> (version this process wrote last, its outbox's entry versions,
        # the creation of the next version's marker ahead: True once created by this process)
        self._last: OrderedDict[tuple[str, object], tuple[int, set[int | None], asyncio.Task[bool] | None]] = \
            OrderedDict()
        self._awaited: dict[tuple[str, object, int], asyncio.Future[None]] = {}  # `until_published`'s
        self.relayed = 0  # relays running in this process on this database

    @classmethod
    def of(cls, db: AsyncDatabase) -> "PendingOutboxes":
        found = cls._by_database.get(db.name)
        if found is None or found.markers.database.client is not db.client:
            found = cls._by_database[db.name] = cls(db)
        return found

    @classmethod
    def for_collection(cls, collection: AsyncCollection) -> "PendingOutboxes":
        return cls.of(collection.database)

    async def mark_one(self, collection: str, aggregate_id: object, version: int) -> bool:
        """`mark` of one write, in one round trip as well; True when it found the marker written ahead
        (the write will land under it: the writer stamps it after)."""
        found = await self.markers.find_one_and_update(
            {"_id": marker_id(collection, aggregate_id, version)},
            {"$setOnInsert": {"collection": collection, "aggregate_id": aggregate_id, "written": version,
                              "marked_at": datetime.now(UTC)}},
            upsert=True)  # no projection: FerretDB v1 refuses one here (and a marker is small)
        return bool(found and found.get(AHEAD))

    async def after_write(self, collection: str, aggregate_id: object, version: int, landed: str | None) -> bool:
        """After this process's write of a document at `version`: the marker it landed under made ordinary
        (`landed="stamp"`, with `marked_at` = now) or deleted (`"delete"`: the write held no events), and
        the marker of `version + 1` created ahead. True when this call created that one (a marker
        another writer made is not trusted: its write may have failed and left it ordinary)."""
        ahead = UpdateOne({"_id": marker_id(collection, aggregate_id, version + 1)},
                          {"$setOnInsert": {"collection": collection, "aggregate_id": aggregate_id,
                                            "written": version + 1, AHEAD: True}}, upsert=True)
        if landed == "delete":
            await self.markers.delete_one({"_id": marker_id(collection, aggregate_id, version)})
        requests = [ahead] if landed != "stamp" else [ahead, _stamp(collection, aggregate_id, version)]
        result = await self.markers.bulk_write(requests, ordered=False)
        return 0 in result.upserted_ids

    async def stamp(self, collection: str, aggregate_id: object, version: int) -> None:
        """A write landed under this marker written ahead: an ordinary marker from now on."""
        await self.markers.bulk_write([_stamp(collection, aggregate_id, version)])

    def wrote(self, collection: str, aggregate_id: object, version: int, outbox: set[int | None],
              ahead: "asyncio.Task[bool] | None") -> None:
        """This process wrote the document at `version`, leaving entries of `outbox` in it (or fewer:
        only the relay removes entries without a write); `ahead` creates the next write's marker."""
        key = (collection, aggregate_id)
        self._last.pop(key, None)
        self._last[key] = (version, outbox, ahead)
        while len(self._last) > REMEMBERED:
            self._last.popitem(last=False)

    async def written_last(self, collection: str, aggregate_id: object, version: int) -> set[int | None] | None:
        """The versions of the entries the document holds, when this process wrote it last at `version`
        and created the marker of `version + 1` ahead (None otherwise: the caller reads the document).
        Taken: a write that fails leaves nothing to trust."""
        found = self._last.pop((collection, aggregate_id), None)
        if found is None or found[0] != version or found[2] is None:
            return None
        try:
            created = await found[2]
        except Exception:
            return None
        return found[1] if created else None

    def forget_written(self, collection: str, aggregate_id: object) -> None:
        self._last.pop((collection, aggregate_id), None)

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

    async def sweep(self) -> tuple[Pending, dict[tuple[str, object], set[int]]]:
        """Every marked write (the collection holds only the waiting ones and one written ahead per
        document a process writes that way, so this reads no more), and which markers are flagged ahead."""
        found, ahead = _empty(), defaultdict(set)
        async for marker in self.markers.find({}):
            found[marker["collection"]][marker["aggregate_id"]].setdefault(marker["written"], None)
            if marker.get(AHEAD):
                ahead[(marker["collection"], marker["aggregate_id"])].add(marker["written"])
        return found, ahead

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
        # Noted during a sweep's pass that published them from the document: its next pass must not
        # visit them (the writer's next write may meanwhile drop them from what it remembers, `forget`).
        if (held := self._noted.get(collection, {}).get(aggregate_id)) is not None:
            for v in versions:
                held.pop(v, None)
            if not held:
                del self._noted[collection][aggregate_id]
        known = self._published.pop(key, (set(), 0.0))[0]
        self._published[key] = (known | versions, time.monotonic())
        for v in versions:
            if (awaited := self._awaited.pop((collection, aggregate_id, v), None)) and not awaited.done():
                awaited.set_result(None)
        while len(self._published) > REMEMBERED:
            self._published.popitem(last=False)

    async def until_published(self, collection: str, aggregate_id: object, version: int,
                              within_s: float | None = None) -> bool:
        """Waits until this process's relay has published (the broker acknowledged) the write's events, at
        most `within_s` (ACK_WAIT_S by default); False when it has not by then (a slow or failing broker:
        the caller goes on), or at once when no relay runs here."""
        if not self.relayed:
            return False
        if version in self.published_versions(collection, aggregate_id):
            return True
        key = (collection, aggregate_id, version)
        awaited = self._awaited.setdefault(key, asyncio.get_running_loop().create_future())
        try:
            async with asyncio.timeout(ACK_WAIT_S if within_s is None else within_s):
                await asyncio.shield(awaited)
            return True
        except TimeoutError:
            return False
        finally:
            if self._awaited.get(key) is awaited and not awaited.done():
                del self._awaited[key]

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
        """The document's entries of these versions were dropped. A version still noted stays known as
        published: the relay's next pass holds its entries in memory and must not send them again."""
        noted = self._noted.get(collection, {}).get(aggregate_id) or {}
        if (found := self._published.get((collection, aggregate_id))) is not None:
            found[0].difference_update(v for v in versions if v not in noted)
            if not found[0]:
                del self._published[(collection, aggregate_id)]
