"""What a scenario asserts on, read from outside the services: every database, Kafka, /metrics, the logs."""

import asyncio
import contextlib
import json
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from pymongo import AsyncMongoClient

from shared.contracts import EVENTS, topic_for
from tests import prometheus_text
from tools.processes import SERVICES
from tools.servers import Servers

BOOKKEEPING = {"processed_events", "outbox", "outbox_pending", "version", "_id"}
# Collections that serve look-ups (index pages, the inbox, outbox markers, the ticker's agenda): they
# follow the state but are shaped by ids (an index page per first hex digit), not part of it.
LOOK_UPS = ("processed_events", "outbox_markers", "session_pairs", "participant_pairs", "tick_agenda")


def _is_state(collection: str) -> bool:
    return not (collection.startswith(LOOK_UPS) or collection.endswith("_by_programme"))


async def state_digest(store: AsyncMongoClient, prefix: str, programme_id: str) -> dict[str, Any]:
    """The programme's state in every database, without ids, times or delivery bookkeeping: per
    collection the document count and statuses, and who is paired with whom by employee id."""
    enrollment = store[f"{prefix}enrollment"]
    employee = {d["_id"]: d.get("employee_id") async for d in enrollment.participants.find(
        {"programme_id": programme_id}, {"employee_id": 1})}
    digest: dict[str, Any] = {"outbox_pending": 0}
    for service in SERVICES:
        db = store[f"{prefix}{service}"]
        for name in sorted(await db.list_collection_names()):
            if not _is_state(name):
                continue
            docs = [d async for d in db[name].find({"programme_id": programme_id})]
            digest[f"{service}.{name}"] = {
                "documents": len(docs),
                "statuses": sorted(Counter(str(d.get("status")) for d in docs).items()),
                # A scheduled session is stored without its status (scheduling/adapters/pair_documents.py).
                "sessions": sorted(Counter((s["sequence"], s.get("status", "scheduled")) for d in docs
                                           for s in d.get("sessions", []) if isinstance(s, dict)).items()),
                "couples": sorted((employee.get(d.get("mentor_id")), employee.get(d.get("mentee_id")))
                                  for d in docs if "mentor_id" in d),
            }
        # Events waiting in outboxes: a marker stands for each write not yet published (published
        # entries stay in a document until its next write, shared/mongo/outbox_markers.py). A marker
        # written ahead stands for the next write, which has not happened: not a waiting one (one a
        # write landed under is stamped by its writer, or by the first sweep after a crash).
        digest["outbox_pending"] += await db["outbox_markers"].count_documents({"ahead": {"$ne": True}})
    return digest


@contextlib.asynccontextmanager
async def _reading(servers: Servers, topics: list[str]) -> AsyncIterator[tuple[AIOKafkaConsumer, list[TopicPartition]]]:
    """A consumer outside any group (as the broker's admin), assigned every partition of `topics`."""
    consumer = AIOKafkaConsumer(*topics, **_admin(servers), enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        deadline = time.monotonic() + 30
        while not consumer.assignment() and topics:
            assert time.monotonic() < deadline, f"no partitions of {topics[:3]}... after 30 s"
            await asyncio.sleep(0.1)
        yield consumer, sorted(consumer.assignment())
    finally:
        await consumer.stop()


def _admin(servers: Servers) -> dict[str, Any]:
    return {"bootstrap_servers": servers.kafka_bootstrap_servers, **servers.kafka_as("admin").client_kwargs()}


async def _records(servers: Servers, topics: list[str]) -> list[tuple[str, bytes | None]]:
    async with _reading(servers, topics) as (consumer, partitions):
        ends = await consumer.end_offsets(partitions)
        found: list[tuple[str, bytes | None]] = []
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            for tp, batch in (await consumer.getmany(*partitions, timeout_ms=1000, max_records=5000)).items():
                found += [(tp.topic, r.value) for r in batch if r.offset < ends[tp]]
        return found


async def published_events(servers: Servers, programme_id: str) -> dict[str, dict[str, int]]:
    """Per event type of the programme: records on Kafka and distinct event ids (the rest are republished)."""
    needle = programme_id.encode()
    records, ids = Counter[str](), {}
    for _, value in await _records(servers, [topic_for(e) for e in EVENTS]):
        if value and needle in value:
            event = json.loads(value)
            records[event["event_type"]] += 1
            ids.setdefault(event["event_type"], set()).add(event["event_id"])
    return {t: {"records": records[t], "distinct": len(ids[t])} for t in sorted(records)}


async def dead_letters(servers: Servers) -> int:
    """Records on every dead-letter topic of the broker."""
    lister = AIOKafkaConsumer(**_admin(servers))
    await lister.start()
    try:
        topics = sorted(t for t in await lister.topics() if t.startswith("dlq."))
    finally:
        await lister.stop()
    if not topics:
        return 0
    async with _reading(servers, topics) as (consumer, partitions):
        ends, starts = await consumer.end_offsets(partitions), await consumer.beginning_offsets(partitions)
        return sum(ends[tp] - starts[tp] for tp in partitions)


def counter(url: str, name: str) -> float:
    return prometheus_text.counter(httpx.get(f"{url}/metrics", timeout=10).text, name)


def first_processed_after(log: Path, since: float) -> float | None:
    """Seconds from `since` (a time.time()) to the first event processed in this log after it."""
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{") or '"processed ' not in line:
            continue
        entry = json.loads(line)
        at = datetime.strptime(entry["ts"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
        if at >= since:
            return round(at - since, 2)
    return None


def now() -> float:
    return time.time()
