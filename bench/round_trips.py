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
from collections import Counter
from pathlib import Path

import httpx

from bench.observability_overhead import drained as feedback_drained
from bench.observability_overhead import publish as publish_sessions
from bench.pipeline_cpu import drained
from bench.pipeline_observe import StageClock, create_programme, import_export
from bench.report import write_section
from tools.demo_programme import PROGRAMME, hr_export
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import LOCAL_SET, ROOT, Servers, infra_servers, throwaway_infra

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


def by_collection(name: str, counts: dict, participants: int, top: int) -> list[str]:
    """The collections that cost the store most in bytes (what FerretDB decodes and encodes), per participant."""
    seen = counts.get("by collection", {})
    sent, received, commands = (Counter(seen.get(k, {})) for k in ("bytes sent", "bytes received", "commands"))
    lines = [f"| {name}: command database.collection | commands / participant | KB sent / participant | "
             "KB received / participant |", "|---|---|---|---|"]
    for key, _ in (sent + received).most_common(top):
        lines.append(f"| {key} | {commands[key] / participants:.2f} | {sent[key] / participants / 1024:.2f} | "
                     f"{received[key] / participants / 1024:.2f} |")
    total_sent, total_received = sum(sent.values()) / participants, sum(received.values()) / participants
    lines.append(f"| **all** | {sum(commands.values()) / participants:.1f} | {total_sent / 1024:.1f} | "
                 f"{total_received / 1024:.1f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--label", default="this commit")
    parser.add_argument("--write", action="store_true", help="write the figures into docs/benchmarks.md")
    parser.add_argument("--by-collection", type=int, default=0, metavar="N",
                        help="also print each service's N costliest collections in store bytes per participant")
    args = parser.parse_args()
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="binome-round-trips-") as folder, \
            throwaway_infra(LOCAL_SET, {k: str(v) for k, v in PORTS.items()}) as infra:
        servers, prefix = infra_servers(infra), f"rt_{uuid.uuid4().hex[:4]}_"
        with contextlib.ExitStack() as stack:
            services = {}
            for name in ("enrollment", *CONSUMERS):  # one process each, each with its own counts file
                services.update(stack.enter_context(running_services(
                    servers, ROOT / ".local" / "logs" / "bench-round-trips", database_prefix=prefix, names=(name,),
                    module="bench.counted_serve",
                    extra_env={**ENV, "ROUND_TRIPS_FILE": str(Path(folder) / f"{name}.json")})))
            rate = asyncio.run(run(servers, {n: s.url for n, s in services.items()}, args.participants,
                                   args.sessions))
        raw = {name: json.loads((Path(folder) / f"{name}.json").read_text()) for name in ("enrollment", *CONSUMERS)}
        figures = {name: per_record(raw[name]) for name in CONSUMERS}
    load_end = os.getloadavg()
    costliest = [line for name in raw if args.by_collection
                 for line in ["", *by_collection(name, raw[name], args.participants, args.by_collection)]]
    lines = [*table(figures, rate, args.label), *costliest, "",
             f"{args.participants} participants, {args.sessions} SessionCompleted; load average {load_start[0]:.1f} "
             f"at start, {load_end[0]:.1f} at end; run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."]
    print("\n".join(lines))
    if args.write:
        write_section(f"Round trips per consumed event ({args.label})", "\n".join(lines))


if __name__ == "__main__":
    main()
