"""The flow every fault scenario drives, over HTTP only, like a programme manager and participants would.

A programme; `PAIRS` mentors and `PAIRS` mentees enrolled by HR imports of `CHUNK` rows (the fast path
a company uses); matching pairs them as they arrive; scheduling plans `SESSIONS` sessions per pair;
feedback counts them; the first session of every pair is completed (feedback then invites both members
to its survey). Mentor and mentee i share one weekly hour that nobody else has, so the pairs are the
same whatever the order of arrival, and a faulty run must end in exactly the fault-free run's state.

An input is acknowledged when the service answers 2xx. Until then the driver retries it, as a client
would: after `Retry-After` on a 503, at once when the service is restarting (connection refused).
Re-sending an import or a completion is idempotent, so a retried input never doubles an effect.
"""

import asyncio
import contextlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from pymongo import AsyncMongoClient

from shared.security.principal import PLATFORM_ADMIN
from tests.factories import programme_request
from tests.faults.cluster import Fleet
from tests.faults.gate import Gate
from tools.identity import Identity

# 60 pairs (120 people) keep the tier within its 10 minutes on 2 cores; BINOME_FAULTS_PAIRS=100 for more.
PAIRS = int(os.getenv("BINOME_FAULTS_PAIRS", "60"))
SESSIONS = 2
CHUNK = 20
CONCURRENCY = 4
HEADER = "employee_id,display_name,role,country,languages,time_zone,seniority_level,availability"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")


def _row(i: int, role: str, prefix: str) -> str:
    day, hour = DAYS[i % 5], 3 + i // 5  # up to 100 pairs: five weekdays x 20 distinct hours, 03:00 to 23:00
    seniority = 2 if role == "mentor" else 8
    slot = f"{day} {hour:02d}:00-{hour + 1:02d}:00"
    return f"{prefix}-{i:03d},Person {prefix}-{i:03d},{role},FR,fr,Europe/Paris,{seniority},{slot}"


def people() -> list[str]:
    """One CSV row per person: mentor J-i and mentee S-i share the only hour either has."""
    return [_row(i, role, prefix) for i in range(PAIRS) for role, prefix in (("mentor", "J"), ("mentee", "S"))]


@dataclass
class Flow:
    fleet: Fleet
    store: AsyncMongoClient
    identity: Identity
    acked: Counter[str] = field(default_factory=Counter)
    retried: Counter[str] = field(default_factory=Counter)
    passed: Counter[str] = field(default_factory=Counter)  # inputs past the gate, acknowledged or not yet
    programme_id: str = ""
    # Open, except while a fault holds the flow's next inputs back (e.g. until a second instance has joined).
    gate: Gate = field(default_factory=Gate)

    def held(self) -> contextlib.AbstractAsyncContextManager[None]:
        """The flow's next inputs wait until the block is over (also when it fails)."""
        return self.gate.held()

    async def send(self, kind: str, service: str, path: str, body: dict[str, object] | str,
                   deadline_s: float = 900) -> dict:
        await self.gate.passage()
        self.passed[kind] += 1
        deadline = time.monotonic() + deadline_s
        content = {"json": body} if isinstance(body, dict) else {"content": body.encode()}
        async with httpx.AsyncClient(timeout=60) as http:
            while True:
                # HR's system imports; the platform admin launches and records completions. Tokens are
                # fetched again when near expiry (the identity provider is not one of the broken servers).
                auth = await (self.identity.hr_headers() if kind == "import" else self.identity.headers(PLATFORM_ADMIN))
                try:
                    csv = {} if isinstance(body, dict) else {"content-type": "text/csv"}
                    response = await http.post(f"{self.fleet.url(service)}{path}", **content, headers={**auth, **csv})
                except httpx.TransportError:
                    response = None
                if response is not None and response.status_code < 300:
                    self.acked[kind] += 1
                    return response.json()
                if response is not None and response.status_code not in (502, 503, 504):
                    raise AssertionError(f"{kind} refused: {response.status_code} {response.text}")
                assert time.monotonic() < deadline, f"{kind} never acknowledged within {deadline_s:.0f} s"
                self.retried[kind] += 1
                wait = float(response.headers.get("Retry-After", 1)) if response is not None else 0.5
                await asyncio.sleep(min(wait, 5))

    async def progress(self) -> dict[str, int]:
        """The programme's enrollments, pairs and planned pairs, each read from the database that owns it."""
        counted = []
        for service, collection in (("enrollment", "participants"), ("matching", "pairs"), ("scheduling", "pairs")):
            db = self.store[f"{self.fleet.prefix}{service}"]
            counted.append(await db[collection].count_documents({"programme_id": self.programme_id}))
        return dict(zip(("enrolled", "paired", "planned"), counted, strict=True))

    async def launch(self) -> None:
        body = programme_request(languages=["fr"], countries=["FR"], sessions_per_pair=SESSIONS)
        self.programme_id = (await self.send("programme", "enrollment", "/programmes", body))["programme_id"]

    async def enroll(self, rows: list[str]) -> None:
        """HR imports of `CHUNK` rows, two at a time; an acknowledged import is as many acked inputs as rows."""
        slots = asyncio.Semaphore(2)
        path = f"/programmes/{self.programme_id}/imports"

        async def one(chunk: list[str]) -> None:
            async with slots:
                report = await self.send("import", "enrollment", path, "\n".join([HEADER, *chunk]) + "\n")
                assert report["rows"] == len(chunk) and not report["rejected"], report
                self.acked["enrollment"] += report["rows"]

        await asyncio.gather(*(one(rows[i:i + CHUNK]) for i in range(0, len(rows), CHUNK)))

    async def complete_first_sessions(self, stall_s: float = 600) -> None:
        """Waits until every pair is planned (read from scheduling's database), then completes session 1.

        A busy machine may be slow: the wait fails only when nothing moved for `stall_s` (no new enrollment,
        pair or planned pair), and then says which stage stopped and which services were running."""
        db = self.store[f"{self.fleet.prefix}scheduling"]
        last: dict[str, int] = {}
        moved = time.monotonic()
        while (stages := await self.progress())["planned"] < PAIRS:
            if stages != last:
                last, moved = stages, time.monotonic()
            assert time.monotonic() - moved < stall_s, (
                f"the flow stopped for {stall_s:.0f} s at {stages} of {PAIRS} pairs; running: "
                f"{self.fleet.running()}; logs: {self.fleet.log_dir}")
            await asyncio.sleep(0.5)
        firsts = [s["session_id"] async for p in db.pairs.find({"programme_id": self.programme_id})
                  for s in p["sessions"] if s["sequence"] == 1]
        slots = asyncio.Semaphore(CONCURRENCY)

        async def one(session_id: str) -> None:
            async with slots:
                await self.send("completion", "scheduling", f"/sessions/{session_id}/completion",
                                {"actual_minutes": 55})

        await asyncio.gather(*(one(s) for s in firsts))
