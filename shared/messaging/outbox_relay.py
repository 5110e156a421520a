"""Publishes the events waiting in aggregate documents' outboxes, then removes them from the outbox.

At-least-once: a crash between publish and removal republishes; consumers dedupe by event_id.
A document's events are published in order; different documents (different keys) concurrently.
"""

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from shared.mongo.document_locks import document_key, locked
from shared.observability.metrics import DeliveryMetrics

Publish = Callable[[dict[str, str]], Awaitable[None]]
log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        collections: list[AsyncCollection],
        publish: Publish,
        metrics: DeliveryMetrics,
        poll_interval_s: float = 0.5,
        batch_size: int = 500,
        concurrency: int = 64,
    ) -> None:
        self.collections = collections
        self.publish = publish
        self.metrics = metrics
        self.poll_interval_s = poll_interval_s
        self.batch_size = batch_size
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """Called after a commit so new events leave at once instead of at the next poll."""
        self._wake.set()

    async def run_once(self) -> int:
        published = pending = 0
        for collection in self.collections:
            while True:
                query = collection.find({"outbox_pending": True}, {"outbox": 1, "version": 1}).limit(self.batch_size)
                batch = [doc async for doc in query]
                pending += len(batch)
                if not batch:
                    break
                published += sum(await asyncio.gather(*(self._publish(doc) for doc in batch)))
                await self._clear(collection, batch)
                if len(batch) < self.batch_size:
                    break
        self.metrics.outbox_pending.set(pending)
        return published

    async def _publish(self, doc: dict[str, Any]) -> int:
        async with self._slots:
            entries = doc.get("outbox") or []
            for entry in entries:
                await self.publish(entry)
                self.metrics.outbox_published.labels(entry["topic"]).inc()
            return len(entries)

    async def _clear(self, collection: AsyncCollection, batch: list[dict[str, Any]]) -> None:
        # One compare-and-set per version for the whole batch: a document still at the version we
        # read holds exactly the events we published. Writers always bump `version`; the relay never does.
        by_version: dict[int, list[Any]] = defaultdict(list)
        for doc in batch:
            by_version[doc["version"]].append(doc["_id"])
        for version, ids in by_version.items():
            async with locked(document_key(collection, i) for i in ids):
                await collection.update_many({"_id": {"$in": ids}, "version": version},
                                             {"$set": {"outbox": [], "outbox_pending": False}})
        changed = collection.find({"_id": {"$in": [d["_id"] for d in batch]}, "outbox_pending": True},
                                  {"outbox": 1, "version": 1})
        published = {doc["_id"]: {e["event_id"] for e in doc.get("outbox") or []} for doc in batch}
        async for doc in changed:
            await self._remove(collection, doc, published[doc["_id"]])

    async def _remove(self, collection: AsyncCollection, doc: dict[str, Any] | None, published: set[str]) -> None:
        # A writer appended events since we read the document: keep those (FerretDB v1 cannot $pull by
        # a sub-field, so the remaining list is written back under the version we just read).
        while doc is not None:
            remaining = [e for e in doc.get("outbox") or [] if e["event_id"] not in published]
            async with locked([document_key(collection, doc["_id"])]):
                result = await collection.update_one(
                    {"_id": doc["_id"], "version": doc["version"]},
                    {"$set": {"outbox": remaining, "outbox_pending": bool(remaining)}},
                )
            if result.matched_count == 1:
                return
            doc = await collection.find_one({"_id": doc["_id"]}, {"outbox": 1, "version": 1})

    async def run_forever(self) -> None:
        while not self._stopping:
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox relay pass failed; retrying")
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_interval_s)
            except TimeoutError:
                pass
            self._wake.clear()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
