"""Benchmark: a big HR export, half of its rows bad, imported while another client reads the service.

A 100,000-row export (every second row carries an invalid time zone) is posted in one request while
a second client calls GET /curricula every 100 ms. Reported: the p50/p99/max latency of those calls
during the import, against the same calls on the idle service measured in the same run (the
baseline), and whether any of the service's Kafka consumers lost its group membership (the group's
member ids before and after must be the same: a consumer that lost membership rejoins under a new id).
Real Kafka (SASL/SCRAM), FerretDB and Keycloak of their own (ports shifted by BINOME_SERVICE_PORT_OFFSET),
enrollment as its own process on Kafka as its own principal; real tokens: a platform admin creates the
programme, HR's system imports (client credentials), a programme manager reads the curricula.
Run: `uv run python -m bench.import_under_load [rows]`; writes docs/benchmarks.md.
"""

import asyncio
import csv
import io
import os
import platform
import statistics
import sys
import time
import uuid

import httpx
from aiokafka.admin import AIOKafkaAdminClient

from bench.hr_export import PROGRAMME, export
from bench.report import write_section
from shared.security import PLATFORM_ADMIN, PROGRAMME_MANAGER
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import ROOT, Servers, throwaway_local_servers

SHIFT = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))


def half_bad(rows: int) -> str:
    reader = csv.DictReader(io.StringIO(export(rows, seed=13)), delimiter=";")
    out = io.StringIO()
    writer = csv.DictWriter(out, reader.fieldnames or [], delimiter=";", lineterminator="\n")
    writer.writeheader()
    for i, row in enumerate(reader):
        writer.writerow({**row, "time_zone": "Mars/Olympus_Mons"} if i % 2 else row)
    return out.getvalue()


async def members(servers: Servers, group: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=servers.kafka_bootstrap_servers,
                                **servers.kafka_as("admin").client_kwargs())
    await admin.start()
    try:
        [response] = await admin.describe_consumer_groups([group])
        return {m[0] for g in response.groups for m in g[5]}  # (error, group, state, protocol_type, protocol, members)
    finally:
        await admin.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def poll(http: httpx.AsyncClient, until: asyncio.Event | None, count: int = 0,
               path: str = "/curricula", identity: Identity | None = None) -> list[float]:
    latencies: list[float] = []
    while (until is not None and not until.is_set()) or len(latencies) < count:
        headers = await identity.headers(PROGRAMME_MANAGER) if identity else {}  # cached, refreshed untimed
        started = time.perf_counter()
        (await http.get(path, headers=headers)).raise_for_status()
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(max(0.0, 0.1 - (time.perf_counter() - started)))
    return latencies


async def run(url: str, servers: Servers, text: str) -> dict:
    identity = Identity(servers.oidc_issuer_url)
    async with httpx.AsyncClient(base_url=url, timeout=1800) as importer, \
            httpx.AsyncClient(base_url=url, timeout=30) as reader:
        code = f"BENCH-LOAD-{uuid.uuid4().hex[:6]}"
        created = await importer.post("/programmes", json={"code": code, **PROGRAMME},
                                      headers=await identity.headers(PLATFORM_ADMIN))
        pid = created.raise_for_status().json()["programme_id"]
        hr = await identity.hr_headers()
        idle = await poll(reader, None, count=100, identity=identity)
        before = await members(servers, "enrollment")
        done = asyncio.Event()
        during = asyncio.create_task(poll(reader, done, identity=identity))
        # /metrics never touches the store: its latency is the event loop's alone (a diagnostic).
        loop_only = asyncio.create_task(poll(reader, done, path="/metrics"))
        started = time.monotonic()
        response = await importer.post(f"/programmes/{pid}/imports", content=text.encode(),
                                       headers={"content-type": "text/csv", **hr})
        import_s = time.monotonic() - started
        done.set()
        latencies, metrics = await during, await loop_only
        response.raise_for_status()
        after = await members(servers, "enrollment")
        await identity.close()
        return {"report": response.json(), "import_s": import_s, "idle": idle, "during": latencies, "metrics": metrics,
                "before": before, "after": after}


def main(rows: int = 100_000) -> None:
    text = half_bad(rows)
    with throwaway_local_servers(kafka_port=29992 + SHIFT, mongo_port=27999 + SHIFT) as servers, \
            running_services(servers, ROOT / ".local" / "logs" / "bench-import-load",
                             database_prefix=f"bench_{uuid.uuid4().hex[:6]}_", names=("enrollment",)) as services:
        result = asyncio.run(run(services["enrollment"].url, servers, text))
    report, during, idle = result["report"], result["during"], result["idle"]
    kept = result["before"] == result["after"] and bool(result["before"])
    lines = [
        f"Export: {rows} rows ({len(text) / 1e6:.1f} MB), every second row with an invalid time zone: "
        f"{report['enrolled']} enrolled, {len(report['rejected'])} refused with their line numbers; "
        f"imported in one request in {result['import_s']:.1f} s.",
        "",
        "| GET /curricula every 100 ms | calls | p50 | p99 | max |",
        "|---|---|---|---|---|",
        f"| idle service (baseline, same run) | {len(idle)} | {statistics.median(idle):.1f} ms | "
        f"{percentile(idle, 99):.1f} ms | {max(idle):.1f} ms |",
        f"| during the import | {len(during)} | {statistics.median(during):.1f} ms | "
        f"**{percentile(during, 99):.1f} ms** (target < 200 ms) | {max(during):.1f} ms |",
        f"| GET /metrics alongside (no store access: the event loop alone) | {len(result['metrics'])} | "
        f"{statistics.median(result['metrics']):.1f} ms | {percentile(result['metrics'], 99):.1f} ms | "
        f"{max(result['metrics']):.1f} ms |",
        "",
        f"Consumer group `enrollment`: {len(result['before'])} members before, the same "
        f"{'members after (no consumer lost its membership)' if kept else 'NOT the same after: membership was lost'}.",
        f"Python {platform.python_version()}, {platform.machine()}, load average {os.getloadavg()[0]:.1f}, "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
    ]
    write_section("Enrollment: a 100,000-row import with half its rows bad, while the service keeps answering",
                  "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
