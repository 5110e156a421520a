"""What bench/pipeline.py observes: stage times from Kafka, the store's CPU, and steady-rate latency.

HTTP calls carry real tokens: the programme is created by a platform admin, people are imported and
enrolled by HR's system (client credentials), as the role model says; Kafka is read as its admin."""

import asyncio
import csv
import io
import json
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import ClassVar

import httpx
from aiokafka import AIOKafkaConsumer

from shared.contracts import PairCreated, PairUnschedulable, ParticipantEnrolled, SessionScheduled, topic_for
from shared.security import PLATFORM_ADMIN
from tools.demo_programme import PROGRAMME, hr_export
from tools.identity import Identity
from tools.servers import Servers

STALL_S = 300.0
SETTLE_AFTER_S = 20.0  # no new pair for this long short of the target: ask matching who waits, and why


async def create_programme(http: httpx.AsyncClient, enrollment: str, identity: Identity, code: str) -> str:
    response = await http.post(f"{enrollment}/programmes", json={"code": code, **PROGRAMME},
                               headers=await identity.headers(PLATFORM_ADMIN))
    response.raise_for_status()
    return response.json()["programme_id"]


async def import_export(http: httpx.AsyncClient, enrollment: str, identity: Identity, programme_id: str,
                        csv_text: str) -> None:
    header, *rows = csv_text.splitlines()
    for start in range(0, len(rows), 1000):
        body = "\n".join([header, *rows[start:start + 1000]]) + "\n"
        response = await http.post(f"{enrollment}/programmes/{programme_id}/imports", content=body.encode(),
                                   headers={"content-type": "text/csv", **await identity.hr_headers()})
        response.raise_for_status()


class StageClock:
    """First and last record time of each stage's events for one programme, read by a plain consumer."""

    TOPICS: ClassVar[dict[str, str]] = {topic_for(ParticipantEnrolled): "enrolled", topic_for(PairCreated): "paired",
              topic_for(SessionScheduled): "planned", topic_for(PairUnschedulable): "unschedulable"}

    def __init__(self, servers: Servers, programme_id: str, sessions_per_pair: int, expected_people: int = 0) -> None:
        self.consumer = AIOKafkaConsumer(*self.TOPICS, bootstrap_servers=servers.kafka_bootstrap_servers,
                                         **servers.kafka_as("admin").client_kwargs(),
                                         group_id=f"bench-{uuid.uuid4().hex[:6]}", auto_offset_reset="earliest",
                                         enable_auto_commit=False, max_partition_fetch_bytes=10 * 1024 * 1024)
        self.needle = f'"programme_id":"{programme_id}"'.encode()
        self.sessions_per_pair, self.expected_people = sessions_per_pair, expected_people
        self.waiting: dict | None = None  # who matching says it cannot pair, once it said so
        self.counts: Counter[str] = Counter()
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.sessions: Counter[bytes] = Counter()  # by pair (the record key)
        self.unschedulable: set[bytes] = set()
        self.enrolled: dict[str, str] = {}  # participant id -> where its ParticipantEnrolled is (event id, record)
        self.paired: set[str] = set()  # members of the PairCreated read
        self.paired_at = time.monotonic()  # when the last of them was read

    def unpaired(self) -> list[str]:
        """The enrolled people no PairCreated names, each with its ParticipantEnrolled (to find in the logs)."""
        return [f"{p} ({where})" for p, where in self.enrolled.items() if p not in self.paired]

    async def start(self) -> None:
        await self.consumer.start()

    def _done(self, pairs: int) -> bool:
        if self.counts["paired"] < pairs:
            return False
        planned = sum(1 for n in self.sessions.values() if n >= self.sessions_per_pair)
        return planned + len(self.unschedulable - {k for k, n in self.sessions.items() if n}) >= pairs

    async def until_scheduled(self, expected_pairs: int, started: float,
                              settle: Callable[["StageClock"], Awaitable[int | None]] | None = None) -> dict:
        """Until every expected pair is created and planned. `settle` is asked, whenever no pair has come
        for SETTLE_AFTER_S short of the target, how many pairs matching can make (None: it cannot say
        yet): the last people may be unable to meet each other (tools/waiting_list.py)."""
        moved = asked = time.monotonic()
        try:
            while not self._done(expected_pairs):
                quiet = time.monotonic() - max(self.paired_at, asked)
                if settle is not None and self.counts["paired"] < expected_pairs and quiet > SETTLE_AFTER_S:
                    asked = time.monotonic()
                    if (reachable := await settle(self)) is not None:
                        expected_pairs = min(expected_pairs, reachable)
                    continue
                if time.monotonic() - moved > STALL_S:
                    raise RuntimeError(f"stalled: {dict(self.counts)} after {time.time() - started:.0f}s; "
                                       f"unpaired: {self.unpaired()[:10]}")
                for records in (await self.consumer.getmany(timeout_ms=500, max_records=5000)).values():
                    for r in records:
                        if self.needle not in r.value:
                            continue
                        stage, at = self.TOPICS[r.topic], r.timestamp / 1000
                        self.counts[stage] += 1
                        self.first.setdefault(stage, at)
                        self.last[stage] = max(self.last.get(stage, at), at)
                        if stage == "enrolled":
                            event = json.loads(r.value)
                            self.enrolled[event["participant_id"]] = (f"event {event['event_id']}, "
                                                                      f"{r.topic}[{r.partition}]@{r.offset}")
                        elif stage == "paired":
                            event = json.loads(r.value)
                            self.paired |= {event["mentor"]["participant_id"], event["mentee"]["participant_id"]}
                            self.paired_at = time.monotonic()
                        elif stage == "planned":
                            self.sessions[r.key] += 1
                        elif stage == "unschedulable":
                            self.unschedulable.add(r.key)
                        moved = time.monotonic()
        finally:
            await self.consumer.stop()
        enrolled, pairs = self.counts["enrolled"], self.counts["paired"]
        end = max(self.last.get("planned", 0.0), self.last.get("unschedulable", 0.0))
        return {"seconds": end - started, "counts": dict(self.counts), "expected_pairs": expected_pairs, "rates": {
            "enrolled": enrolled / max(self.last["enrolled"] - started, 1e-3),
            "paired": enrolled / max(self.last["paired"] - self.first["enrolled"], 1e-3),
            "planned": pairs / max(end - self.first["paired"], 1e-3)}}


async def enroll_at_steady_rate(enrollment: str, servers: Servers, identity: Identity, rate: float,
                                seconds: float) -> dict:
    """Enrolls people one HTTP request at a time at `rate`/s; latency = PairCreated time - the later
    member's request time; `stages` splits it (request -> its ParticipantEnrolled on Kafka, then
    -> PairCreated: matching's part; the HTTP answer's time beside) and `tail` gives the slowest pairs'
    timelines, to set beside the services' periodic jobs."""
    count = int(rate * seconds) // 2 * 2
    records = list(enumerate(csv.DictReader(io.StringIO(hr_export(count, seed=5)), delimiter=";")))[:count]
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    async with httpx.AsyncClient(timeout=60) as http:
        programme = await create_programme(http, enrollment, identity, f"LATENCY-{uuid.uuid4().hex[:6]}")
        clock = StageClock(servers, programme, PROGRAMME["sessions_per_pair"])
        await clock.start()
        reader = asyncio.create_task(_pair_times(clock))

        async def enroll(cells: dict[str, str], at: float) -> None:
            await asyncio.sleep(max(0.0, at - time.time()))
            body = {k: v for k, v in cells.items() if k in ("employee_id", "display_name", "role", "country",
                                                             "time_zone", "seniority_level")}
            body["languages"] = cells["languages"].split("|")
            body["availability"] = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]
            headers = await identity.hr_headers()  # cached: fetched before the clock starts
            started = time.time()
            response = await http.post(f"{enrollment}/programmes/{programme}/participants", json=body,
                                       headers=headers)
            response.raise_for_status()
            sent[response.json()["participant_id"]] = started
            answered[response.json()["participant_id"]] = time.time()

        t0 = time.time() + 1
        await asyncio.gather(*(enroll(cells, t0 + n / rate) for n, (_, cells) in enumerate(records)))
        pairs, enrolled = await reader
    timelines = []
    for a, b, at in pairs:
        if a in sent and b in sent and a in enrolled and b in enrolled:
            last = max((a, b), key=sent.__getitem__)
            timelines.append({"at": sent[last], "total": at - sent[last], "http": answered[last] - sent[last],
                              "on_kafka": enrolled[last] - sent[last], "matching": at - max(enrolled[a], enrolled[b])})
    timelines.sort(key=lambda t: t["total"])
    return {"pairs": len(timelines), **{f"{q}": _quantile([t["total"] for t in timelines], q) for q in ("p50", "p99")},
            "stages": {s: {q: _quantile(sorted(t[s] for t in timelines), q) for q in ("p50", "p99")}
                       for s in ("http", "on_kafka", "matching")},
            "tail": timelines[-max(1, len(timelines) // 20):]}


def _quantile(ordered: list[float], q: str) -> float:
    return statistics.median(ordered) if q == "p50" else ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def _pair_times(clock: StageClock, quiet_s: float = 20.0) -> tuple[list[tuple[str, str, float]],
                                                                          dict[str, float]]:
    """(mentor, mentee, PairCreated time) until no pair has come for `quiet_s`, and each
    ParticipantEnrolled's time by participant."""
    found, enrolled, quiet_since = [], {}, time.monotonic()
    try:
        while time.monotonic() - quiet_since < quiet_s:
            for records in (await clock.consumer.getmany(timeout_ms=500)).values():
                for r in records:
                    if clock.needle not in r.value:
                        continue
                    if clock.TOPICS[r.topic] == "paired":
                        event = json.loads(r.value)
                        found.append((event["mentor"]["participant_id"], event["mentee"]["participant_id"],
                                      r.timestamp / 1000))
                        quiet_since = time.monotonic()
                    elif clock.TOPICS[r.topic] == "enrolled":
                        enrolled[json.loads(r.value)["participant_id"]] = r.timestamp / 1000
    finally:
        await clock.consumer.stop()
    return found, enrolled
