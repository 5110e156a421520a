"""Benchmark (issue 15; not a timed test): how soon each service processes an event again after the broker
or the store returns, and how many duplicate deliveries the inboxes absorb in each fault scenario.

Runs the fault tier's machinery (tests/faults: its own Kafka and FerretDB, the four services as
processes, the same flow, tokens from the shared identity provider) outside pytest: a fault-free
run, then each scenario `--repeats` times.
Recovery is measured from the moment the broken server answers again (infra.sh start returned) or the
killed service was started, to the first "processed" line in each consuming service's log. The
reference in the same run is the median gap between two processed events of the fault-free flow:
a recovery of a few such gaps means the service resumed as soon as it could.

Run: `uv run python -m bench.fault_recovery [--repeats 3] [--pairs 60] [--all] [--write]`.
"""

import argparse
import asyncio
import itertools
import json
import os
import platform
import signal
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from pymongo import AsyncMongoClient

from bench.report import write_section
from tools.servers import ROOT


def _gaps(log: Path) -> list[float]:
    stamps = [datetime.strptime(json.loads(line)["ts"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
              for line in log.read_text().splitlines() if line.startswith("{") and '"processed ' in line]
    return [b - a for a, b in itertools.pairwise(stamps)]


async def main(repeats: int, everything: bool, write: bool) -> None:
    from tests.faults import faults, scenario
    from tests.faults.cluster import fault_infra, fleet
    from tests.faults.flow import PAIRS
    from tools.identity import Identity
    from tools.processes import SERVICES
    from tools.servers import acquire_servers

    chosen = [("SIGKILL broker", faults.outage("kafka", 5)), ("SIGKILL store", faults.outage("ferretdb", 15))]
    if everything:
        chosen += [(f"SIGKILL {s}", faults.restart((s,), signal.SIGKILL)) for s in SERVICES]
        chosen += [("SIGTERM feedback", faults.restart(("feedback",), signal.SIGTERM)), ("poison", faults.poison),
                   ("rebalance feedback", faults.second_instance("feedback"))]
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    log_dir = ROOT / ".local" / "logs" / f"bench-faults-{run_id}"
    started = time.monotonic()
    with acquire_servers() as shared, fault_infra(shared.oidc_issuer_url) as infra, \
            fleet(infra.servers, log_dir, f"bench_{run_id}_") as services:
        env = scenario.Env(infra, services, AsyncMongoClient(infra.servers.mongodb_url, tz_aware=True),
                           Identity(shared.oidc_issuer_url))
        env.baseline = await scenario.run(env, "fault-free")
        gap = statistics.median(g for s in faults.FLOWING for g in _gaps(log_dir / f"{s}.1.log"))
        for _ in range(repeats):
            for name, fault in chosen:
                (await scenario.run(env, name, fault)).like(env.baseline)
    rows = [o.figures() for o in env.outcomes]
    for row in rows:
        print(json.dumps(row))
    load = os.getloadavg()
    lines = [
        f"`uv run python -m bench.fault_recovery --repeats {repeats} --pairs {PAIRS}"
        f"{' --all' if everything else ''}` on "
        f"{platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()}), "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {PAIRS} pairs ({2 * PAIRS} people) per run, "
        f"{time.monotonic() - started:.0f} s in all; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "at the end (a shared machine is noisy). Every run below reached the fault-free run's state.",
        "",
        f"Reference measured in the same run: the median gap between two processed events of the fault-free "
        f"flow, **{gap:.2f} s**.",
        "",
        "| scenario | recovery: return → first processed event, per service (s) | duplicates absorbed "
        "| republished | dead letters | duration (s) |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows[1:]:
        recovery = ", ".join(f"{s} {v if v is not None else '—'}" for s, v in row["recovery s"].items()) or "—"
        lines.append(f"| {row['scenario']} | {recovery} | {row['duplicates absorbed']} | {row['republished']} "
                     f"| {row['dead letters']} | {row['duration s']} |")
    if write:
        write_section("Faults: recovery after an outage, duplicates absorbed (issue 15)", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=None, help="pairs per run (default: the fault tier's)")
    parser.add_argument("--all", action="store_true", help="every fault scenario, not only broker and store")
    parser.add_argument("--write", action="store_true", help="write the section into docs/benchmarks.md")
    args = parser.parse_args()
    if args.pairs:
        os.environ["BINOME_FAULTS_PAIRS"] = str(args.pairs)
    asyncio.run(main(args.repeats, args.all, args.write))
