"""Publishes the events waiting in aggregate documents' outboxes, then removes them from the outbox.

At-least-once: a crash between publish and removal republishes; consumers dedupe by event_id.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

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
        batch_size: int = 200,
    ) -> None:
        self.collections = collections
        self.publish = publish
        self.metrics = metrics
        self.poll_interval_s = poll_interval_s
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """Called after a commit so new events leave at once instead of at the next poll."""
        self._wake.set()

    async def run_once(self) -> int:
        published = 0
        pending = 0
        for collection in self.collections:
            cursor = collection.find({"outbox_pending": True}, {"outbox": 1, "version": 1}).limit(self.batch_size)
            async for doc in cursor:
                pending += 1
                published += await self._drain(collection, doc)
        self.metrics.outbox_pending.set(pending)
        return published

    async def _drain(self, collection: AsyncCollection, doc: dict[str, Any]) -> int:
        entries = doc.get("outbox") or []
        for entry in entries:
            await self.publish(entry)
            self.metrics.outbox_published.labels(entry["topic"]).inc()
        await self._remove(collection, doc, {e["event_id"] for e in entries})
        return len(entries)

    async def _remove(self, collection: AsyncCollection, doc: dict[str, Any], published: set[str]) -> None:
        # Compare-and-set on `version` (every writer bumps it): if a writer appended events since we
        # read the document, re-read and keep those. FerretDB v1 cannot $pull by a sub-field.
        while doc is not None:
            remaining = [e for e in doc.get("outbox") or [] if e["event_id"] not in published]
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
