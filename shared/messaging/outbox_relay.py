"""Publishes the events waiting in aggregate documents' outboxes.

At-least-once: a crash between publish and the marker's deletion republishes; consumers dedupe by
event_id. A document's events of one key are published in order (by the version that wrote them,
then outbox order); those of other keys, and other documents, concurrently.

The relay never queries a collection: a commit wakes it with the writes it made (`PendingOutboxes`),
entries included, and the relay publishes those from memory: no read and no write of the document.
Only a write it holds no entries for (found by the sweep of the markers, at start then every
`sweep_interval_s`: what another process or a crashed one left; or moved by an erasure) is read by
`_id`, published and emptied of what has left (as every event cost before). Once published, a
write's marker is deleted (one bulk per pass) and its version remembered, so the aggregate's next
write drops the entries (`aggregates.py`); a document left unwritten for a sweep interval is emptied
by `_tidy`, at most `tidy_per_sweep` documents per sweep: each costs the store a read and a rewrite,
and an unpaced tidy after a 10,000-person import kept the idle store at 3.6 % of a core
(docs/benchmarks.md). An idle service costs one small read per sweep, and the paced tidy.
"""

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.aggregates import compare_and_set
from shared.mongo.document_locks import document_key, locked
from shared.mongo.outbox_markers import Entries, PendingOutboxes
from shared.observability.metrics import DeliveryMetrics

Publish = Callable[[dict[str, str]], Awaitable[None]]
log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        db: AsyncDatabase,
        collections: list[str],
        publish: Publish,
        metrics: DeliveryMetrics,
        sweep_interval_s: float = 60.0,
        concurrency: int = 64,
        tidy_per_sweep: int = 16,
    ) -> None:
        self.collections = {name: db[name] for name in collections}
        self.pending = PendingOutboxes.of(db)
        self.publish = publish
        self.metrics = metrics
        self.sweep_interval_s = sweep_interval_s
        self.tidy_per_sweep = tidy_per_sweep
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._stopping = False
        self._suspects: set[tuple[str, object, int]] = set()  # markers above their document's version
        self.failed = 0  # documents the last pass could not publish

    def wake(self) -> None:
        """Called after a commit so new events leave at once."""
        self._wake.set()

    async def run_once(self, sweep: bool = False) -> int:
        """Publishes what this process noted since the last pass (and, with `sweep`, every marked write),
        then, on a sweep, empties some outboxes left unwritten for a sweep interval since their events
        were published."""
        work, ahead = self.pending.take(), {}
        if sweep:
            swept, ahead = await self.pending.sweep()
            for name, ids in swept.items():
                for aggregate_id, versions in ids.items():
                    for v in versions:
                        work[name][aggregate_id].setdefault(v, None)
        visits = [(name, aggregate_id, versions) for name, ids in work.items() if name in self.collections
                  for aggregate_id, versions in ids.items()]
        cleared: dict[str, dict[object, set[int]]] = defaultdict(lambda: defaultdict(set))
        counts = await asyncio.gather(*(self._visit(n, i, v, sweep, cleared, ahead.get((n, i), set()))
                                       for n, i, v in visits))
        self.failed = sum(1 for c in counts if c < 0)
        try:  # the pass's published writes, unmarked in one round trip
            await self.pending.clear_all(cleared)
        except Exception:
            log.exception("outbox relay could not clear %d markers; will retry", len(visits))
            for name, ids in cleared.items():
                for aggregate_id, versions in ids.items():
                    self.pending.note(name, ((aggregate_id, v) for v in versions))
            self.failed += 1
        if sweep:
            await self._tidy()
        self.metrics.outbox_pending.set(self.failed)
        return sum(c for c in counts if c > 0)

    async def _visit(self, name: str, aggregate_id: Any, writes: dict[int, Entries | None], sweep: bool,
                     cleared: dict[str, dict[object, set[int]]], ahead: set[int] = frozenset()) -> int:
        """Returns how many events were published, or -1 when the document must be visited again.
        `ahead`: the versions whose markers the sweep found written ahead (outbox_markers.py)."""
        collection = self.collections[name]
        versions, doc = set(writes), None
        async with self._slots:
            try:
                if all(e is not None for e in writes.values()):  # the writer's own entries: nothing to read
                    version, stored = max(versions), []
                else:
                    doc = await collection.find_one({"_id": aggregate_id}, {"outbox": 1, "version": 1})
                    version = doc["version"] if doc else 0  # not written yet, or gone: the sweep decides
                    stored = (doc or {}).get("outbox") or []
                    if ahead & versions:
                        # At the document's version + 1: the next write's, nothing to publish or delete.
                        # At its version or below: a write landed under it; its writer's stamp may
                        # never come (a crash), so the sweep stamps it before publishing, for the alert.
                        for v in sorted(v for v in ahead & versions if v <= version):
                            await self.pending.stamp(name, aggregate_id, v)
                        writes = {v: e for v, e in writes.items() if v not in ahead or v != version + 1}
                        versions = set(writes)
                        if not versions:
                            return 0
                    # Entries another (or a crashed) process left waiting go first, in version order.
                    _, foreign = await self.pending.waiting(name, aggregate_id,
                                                            {e.get("v") for e in stored} - versions)
                    writes = {**dict.fromkeys(v for v in foreign if v is not None), **writes}
                    versions = set(writes)
                entries = self._due(name, aggregate_id, writes, stored)
                await asyncio.gather(*(self._publish_in_order(chain) for chain in _chains(entries)))
                if doc is not None and stored:
                    # Read anyway (a sweep's find, an erasure's move): empty what has left now, so an
                    # erased person's published events do not stay in a document never written again.
                    known = self.pending.published_versions(name, aggregate_id)
                    await self._remove(collection, doc, {e["event_id"] for e in entries} | {
                        e["event_id"] for e in stored if e.get("v") in known})
            except Exception:
                log.exception("outbox relay could not publish %s/%s; will retry", name, aggregate_id)
                for v, held in writes.items():
                    self.pending.note(name, [(aggregate_id, v)], held)
                return -1
        done = {v for v in versions if v <= version}
        # Left in the document (unless just removed), for its next write or `_tidy` to drop.
        self.pending.published(name, aggregate_id, done | {e["v"] for e in entries if "v" in e})
        later = versions - done
        if sweep:
            # A marker above its document's version (or of a missing document) belongs to a write in
            # flight, or to one that failed its version check or moved the document (erasure): seen so
            # in two sweeps in a row, it is stale. One written ahead at the version + 1 is left above.
            stale = {v for v in later if (name, aggregate_id, v) in self._suspects}
            self._suspects -= {(name, aggregate_id, v) for v in versions}
            self._suspects |= {(name, aggregate_id, v) for v in later - stale}
            done |= stale
            self.pending.published(name, aggregate_id, stale)
        cleared[name][aggregate_id] |= done
        return len(entries)

    def _due(self, name: str, aggregate_id: Any, writes: dict[int, Entries | None], stored: Entries) -> Entries:
        """What to publish, in order: entries stored without a version (all waiting), then each write's
        by version (none already published here), from memory when held, else from the document."""
        due = [e for e in stored if "v" not in e]
        known = self.pending.published_versions(name, aggregate_id)
        for v in sorted(set(writes) - known):
            held = writes[v]
            due += held if held is not None else [e for e in stored if e.get("v") == v]
        return due

    async def _publish_in_order(self, entries: list[dict[str, str]]) -> None:
        for entry in entries:
            await self.publish(entry)
            self.metrics.outbox_published.labels(entry["topic"]).inc()

    async def _remove(self, collection: AsyncCollection, doc: dict[str, Any] | None, published: set[str]) -> None:
        # A writer may have appended events since we read the document: keep those. FerretDB v1 cannot
        # $pull by a sub-field, so the remaining list is written back under the version we just read
        # (writers always bump `version`; the relay never does).
        while doc is not None:
            remaining = [e for e in doc.get("outbox") or [] if e["event_id"] not in published]
            async with locked([document_key(collection, doc["_id"])]):
                done = await compare_and_set(collection, doc["_id"], doc["version"],
                                             {"$set": {"outbox": remaining, "outbox_pending": bool(remaining)}})
            if done:
                return
            doc = await collection.find_one({"_id": doc["_id"]}, {"outbox": 1, "version": 1})

    async def _tidy(self) -> None:
        """Empties the outboxes whose events were all published a sweep interval ago or more and that no
        write has rewritten since: one read and one write each, as every event cost before, at most
        `tidy_per_sweep` per sweep, so neither publishing nor an idle store pays for a backlog at once."""
        quiet = [(n, i) for n, i in self.pending.quiet(self.sweep_interval_s, self.tidy_per_sweep)
                 if n in self.collections]
        await asyncio.gather(*(self._tidy_one(n, i) for n, i in quiet))

    async def _tidy_one(self, name: str, aggregate_id: Any) -> None:
        collection = self.collections[name]
        async with self._slots, locked([document_key(collection, aggregate_id)]):
            try:
                doc = await collection.find_one({"_id": aggregate_id}, {"outbox.v": 1})
                left = {e.get("v") for e in (doc or {}).get("outbox") or []}
                if left and not any(await self.pending.waiting(name, aggregate_id, left)):
                    # Every writer holds this lock: nobody rewrites the outbox between the read and this.
                    await collection.update_one({"_id": aggregate_id},
                                                {"$set": {"outbox": [], "outbox_pending": False}})
                elif left:
                    self.pending.published(name, aggregate_id, ())  # entries still waiting: look again later
                    return
                self.pending.forget(name, aggregate_id, self.pending.published_versions(name, aggregate_id))
            except Exception:
                log.exception("outbox relay could not tidy %s/%s; will retry", name, aggregate_id)
                self.pending.published(name, aggregate_id, ())

    async def run_forever(self) -> None:
        loop = asyncio.get_running_loop()
        self.pending.relayed += 1  # writers may wait for what this relay publishes (`until_published`)
        try:
            await self._run(loop)
        finally:
            self.pending.relayed -= 1

    async def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        next_sweep = loop.time()  # at start: what a previous process left
        while not self._stopping:
            sweep = loop.time() >= next_sweep
            if sweep:
                next_sweep = loop.time() + self.sweep_interval_s
            self._wake.clear()
            try:
                await self.run_once(sweep)
            except Exception:
                log.exception("outbox relay pass failed; retrying")
            if self.failed:
                await asyncio.sleep(0.5)  # Kafka or the store is failing: retry soon, not in a hot loop
                continue
            if self.pending.has_noted():
                continue  # committed during the pass
            try:
                # A timeout scope, not wait_for: wait_for runs the wait in a task of its own, and a wake
                # then takes extra loop turns, each of which the committer's next writes may fill.
                async with asyncio.timeout_at(max(loop.time(), next_sweep)):
                    await self._wake.wait()
            except TimeoutError:
                pass

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()


def _chains(entries: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """The entries by key, each chain in outbox order (a person's data key still leaves before the
    events sealed under it, whatever their topic). Events of other keys have no order a consumer
    could see (other partitions), so chains are published concurrently: a decision's 100 PairCreated
    cost about one broker round trip, not 100 in a row."""
    chains: dict[str, list[dict[str, str]]] = {}
    for entry in entries:
        chains.setdefault(entry["key"], []).append(entry)
    return list(chains.values())
