"""Benchmark: store and Kafka round trips per consumed event in each consuming service (issue 14).

On a throwaway Kafka (SASL/SCRAM, the code's ACLs), FerretDB and Keycloak (ports 29920, 27920 and
28096 shifted by BINOME_SERVICE_PORT_OFFSET), the four services run as processes under
bench/counted_serve.py: every store command (a pymongo CommandListener), every poll that returned
records, offset commit and publish, counted per process. A programme of `--participants` is imported
and followed to its last SessionScheduled (matching, scheduling), then `--sessions` SessionCompleted
are published to feedback and timed until its group has committed them (one hop, as
bench/observability_overhead.py); once every group has drained its topics, each service's counts are
divided by the records it consumed. Metrics are off (METRICS_ENABLED=false), so the operations
monitor's reads are not counted; the outbox sweep (60 s) and scheduling's tick are.

    PYTHONPATH=.:services uv run python -m bench.round_trips [--participants 100] [--sessions 300] [--write]
"""

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.observability_overhead import drained as feedback_drained
from bench.observability_overhead import publish as publish_sessions
from bench.pipeline_cpu import cpu_seconds, drained
from bench.pipeline_observe import StageClock, create_programme, import_export
from bench.report import write_section
from bench.store_bytes import by_collection, stored_sizes
from tools.demo_programme import PROGRAMME, hr_export
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import LOCAL_SET, ROOT, Servers, infra_pid, infra_servers, throwaway_infra

OFFSET = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))
PORTS = {"BINOME_KAFKA_PORT": 29920 + OFFSET, "BINOME_MONGO_PORT": 27920 + OFFSET,
         "BINOME_KEYCLOAK_PORT": 28096 + OFFSET}
ENV = {"OUTBOX_SWEEP_INTERVAL_S": "60", "METRICS_ENABLED": "false"}
CONSUMERS = ("matching", "scheduling", "feedback")


async def run(servers: Servers, urls: dict[str, str], participants: int, sessions: int) -> float:
    """Drives the programme, then feedback's hop; returns feedback's events/s."""
    identity = Identity(servers.oidc_issuer_url)
    async with httpx.AsyncClient(timeout=600) as http:
        programme = await create_programme(http, urls["enrollment"], identity, f"RT-{uuid.uuid4().hex[:6]}")
        clock = StageClock(servers, programme, PROGRAMME["sessions_per_pair"])
        await clock.start()
        await import_export(http, urls["enrollment"], identity, programme, hr_export(participants))
        await clock.until_scheduled(expected_pairs=participants // 2, started=time.time())
    await identity.close()
    await drained(servers)
    started = time.monotonic()
    await publish_sessions(servers, sessions)
    await feedback_drained(servers)
    rate = sessions / (time.monotonic() - started)
    await drained(servers)
    await asyncio.sleep(1.5)  # the counts files are written every 0.5 s
    return rate


def per_record(counts: dict[str, int]) -> dict[str, float]:
    records = max(counts.get("records consumed", 0), 1)
    store = {k.removeprefix("store "): v for k, v in counts.items() if k.startswith("store ")}
    main = ("find", "insert", "update", "delete")
    return {
        "records": records, "polls": counts.get("kafka polls with records", 0),
        "store": sum(store.values()) / records,
        **{name: store.get(name, 0) / records for name in main},
        "other": sum(v for k, v in store.items() if k not in main) / records,
        "commits": counts.get("kafka offset commits", 0) / records,
        "publishes": counts.get("kafka publishes", 0) / records,
    }


def table(figures: dict[str, dict[str, float]], rate: float, label: str) -> list[str]:
    lines = [f"| service ({label}) | records consumed | polls | store commands / record (find, insert, update, "
             "delete, other) | offset commits / record | publishes / record |", "|---|---|---|---|---|---|"]
    for name, f in figures.items():
        lines.append(f"| {name} | {f['records']:,} | {f['polls']:,} | **{f['store']:.1f}** ({f['find']:.1f}, "
                     f"{f['insert']:.1f}, {f['update']:.1f}, {f['delete']:.1f}, {f['other']:.1f}) | "
                     f"{f['commits']:.2f} | {f['publishes']:.2f} |")
    lines += ["", f"feedback's hop ({label}): {rate:.0f} SessionCompleted/s"]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--label", default="this commit")
    parser.add_argument("--write", action="store_true", help="write the figures into docs/benchmarks.md")
    parser.add_argument("--by-collection", type=int, default=0, metavar="N",
                        help="also print each service's N costliest collections in store bytes per participant, "
                             "with what the run left stored and FerretDB's CPU seconds")
    args = parser.parse_args()
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="binome-round-trips-") as folder, \
            throwaway_infra(LOCAL_SET, {k: str(v) for k, v in PORTS.items()}) as infra:
        servers, prefix = infra_servers(infra), f"rt_{uuid.uuid4().hex[:4]}_"
        store, store_cpu = infra_pid("ferretdb", infra), 0.0
        with contextlib.ExitStack() as stack:
            services = {}
            for name in ("enrollment", *CONSUMERS):  # one process each, each with its own counts file
                services.update(stack.enter_context(running_services(
                    servers, ROOT / ".local" / "logs" / "bench-round-trips", database_prefix=prefix, names=(name,),
                    module="bench.counted_serve",
                    extra_env={**ENV, "ROUND_TRIPS_FILE": str(Path(folder) / f"{name}.json")})))
            store_cpu = -cpu_seconds(store)
            rate = asyncio.run(run(servers, {n: s.url for n, s in services.items()}, args.participants,
                                   args.sessions))
            store_cpu += cpu_seconds(store)
            sizes = asyncio.run(stored_sizes(servers.mongodb_url, prefix))
        raw = {name: json.loads((Path(folder) / f"{name}.json").read_text()) for name in ("enrollment", *CONSUMERS)}
        figures = {name: per_record(raw[name]) for name in CONSUMERS}
    load_end = os.getloadavg()
    costliest = [line for name in raw if args.by_collection
                 for line in ["", *by_collection(name, raw[name], args.participants, args.by_collection, sizes)]]
    lines = [*table(figures, rate, args.label), *costliest, "",
             f"FerretDB's CPU from the import to the last commit: {store_cpu:.1f} s "
             f"({1000 * store_cpu / args.participants:.1f} ms per participant).",
             f"{args.participants} participants, {args.sessions} SessionCompleted; load average {load_start[0]:.1f} "
             f"at start, {load_end[0]:.1f} at end; run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."]
    print("\n".join(lines))
    if args.write:
        write_section(f"Round trips per consumed event ({args.label})", "\n".join(lines))


if __name__ == "__main__":
    main()
