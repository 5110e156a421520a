"""Benchmark: one programme through enrollment, matching and scheduling, at growing sizes (issue 14).

For each size (default 1,000, 4,000 and 10,000 participants), on a throwaway Kafka (SASL/SCRAM and the
code's ACLs), FerretDB and Keycloak (ports 29900, 27900 and 28092 shifted by BINOME_SERVICE_PORT_OFFSET)
with the four services as OS processes, each on Kafka as its own principal, and real tokens (a platform
admin creates the programme, HR's system imports and enrolls; bench/pipeline_observe.py,
bench/pipeline_cpu.py):
- the HR export is imported (chunks of 1,000 rows) and the run ends at the last SessionScheduled
  on Kafka, read by a plain consumer; per stage: events in / (last event out - first event in);
- the store's CPU seconds during the run (FerretDB's /proc stat), and idle afterwards (% of a core over 120 s,
  once the ticker has sent the reminders the run made due: those are counted apart);
  the CPU seconds of Kafka and of each service during the run (which stage bounds the pipeline);
- in the same run, on the same broker and store, a chain of plain aiokafka relays (bench/relay_chain.py)
  with one keyed store write per message, and each stage's ratio to its hop;
then, on the largest size's services, p50/p99 from an HTTP enrollment to its PairCreated at 5/s (by stage,
with the slowest pairs' timelines).
Targets: 10,000 in <= 10 min; time per participant at 10,000 within 1.3x of 1,000; every stage
>= 0.45x the chain; enrollment -> PairCreated p99 <= 1 s at 5/s; idle store CPU < 2 % of a core.

    PYTHONPATH=.:services uv run python -m bench.pipeline [--sizes 1000 4000 10000] [--latency-seconds 60]
        [--store sqlite|pg] [--write] [--pipeline-only] [--keep-logs]

(`--store pg`: FerretDB v1 on PostgreSQL, deploy/local's `postgres` and `ferretdb_pg` on ports 15900 and 27901
shifted likewise, for the pipeline and the chain alike; its CPU is FerretDB's and all PostgreSQL processes'.)

Logs: the services' in .local/logs/bench-pipeline-<size> (overwritten by the next run unless `--keep-logs`),
the servers' (Kafka, FerretDB, PostgreSQL, Keycloak) in .local/logs/bench-pipeline-servers-<UTC time>, both
named at the start; the servers' are removed after a run that succeeds unless `--keep-logs`, and kept after
one that fails (its path printed again) or is killed: a stalled FerretDB's goroutine dump (SIGQUIT) lands there.

(the services' packages on the path: it reads which topics each service's group consumes, to wait
until they have drained them before it measures the idle store).
"""

import argparse
import asyncio
import contextlib
import dataclasses
import os
import platform
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.pipeline_cpu import cpu_seconds, drained, group_lag, idle_cpu, own_cpu_seconds
from bench.pipeline_observe import StageClock, create_programme, enroll_at_steady_rate, import_export
from bench.relay_chain import run_chain
from bench.report import write_section
from shared.security import PLATFORM_ADMIN
from tools.demo_programme import PROGRAMME, hr_export
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import ROOT, Servers, infra_pid, infra_servers, throwaway_infra
from tools.waiting_list import waiting_list

OFFSET = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))
PORTS = {"BINOME_KAFKA_PORT": 29900 + OFFSET, "BINOME_MONGO_PORT": 27900 + OFFSET,
         "BINOME_KEYCLOAK_PORT": 28092 + OFFSET, "BINOME_POSTGRES_PORT": 15900 + OFFSET,
         "BINOME_FERRETDB_PG_PORT": 27901 + OFFSET}
# The store's servers (deploy/local) per `--store`; the store's CPU is theirs and their descendants'.
STORES = {"sqlite": ("ferretdb",), "pg": ("postgres", "ferretdb_pg")}
SHIPPED = {"OUTBOX_SWEEP_INTERVAL_S": "60"}  # the default (tools/processes.py sets the tests' 10 s): idle CPU


async def one_size(servers: Servers, urls: dict[str, str], pid: tuple[int, ...], size: int,
                   service_pids: dict[str, int], pipeline_only: bool = False) -> dict:
    identity = Identity(servers.oidc_issuer_url)
    async with httpx.AsyncClient(timeout=600) as http:
        programme = await create_programme(http, urls["enrollment"], identity, f"BENCH-{size}-{uuid.uuid4().hex[:6]}")
        clock = StageClock(servers, programme, PROGRAMME["sessions_per_pair"], expected_people=size)
        await clock.start()
        await identity.hr_token()  # outside the timed run
        cpu_before, started, load = cpu_seconds(pid), time.time(), os.getloadavg()[0]
        services_before = {n: cpu_seconds(p) for n, p in service_pids.items()}
        await import_export(http, urls["enrollment"], identity, programme, hr_export(size))
        figures = await clock.until_scheduled(expected_pairs=size // 2, started=started, settle=lambda c: (
            reachable_pairs(http, servers, urls["matching"], identity, programme, c)))
        figures["waiting"] = clock.waiting
        figures["store_cpu_s"] = cpu_seconds(pid) - cpu_before
        figures["load"] = (load, os.getloadavg()[0])
        figures["service_cpu_s"] = {n: round(cpu_seconds(p) - services_before[n], 1) for n, p in service_pids.items()}
        if pipeline_only:
            await identity.close()
            return figures
        await drained(servers)
        figures["drained_s"] = time.time() - started
        figures["idle"] = await idle_cpu(pid, seconds=120, servers=servers)
    await identity.close()
    chain_pids = {"store": pid, "kafka": service_pids["kafka"]}
    chain_before = {n: cpu_seconds(p) for n, p in chain_pids.items()} | {"relays": own_cpu_seconds()}
    figures["chain"] = await run_chain(servers, size)
    chain_after = {n: cpu_seconds(p) for n, p in chain_pids.items()} | {"relays": own_cpu_seconds()}
    figures["chain_cpu_s"] = {n: round(chain_after[n] - chain_before[n], 1) for n in chain_before}
    return figures


async def reachable_pairs(http: httpx.AsyncClient, servers: Servers, matching: str, identity: Identity,
                          programme: str, clock: StageClock) -> int | None:
    """The pairs matching can make, once it has applied every enrollment (its group's lag 0: a round
    preview then strands nobody): those made, when it can pair none of the people still free."""
    if len(clock.enrolled) < clock.expected_people or await group_lag(servers, "matching"):
        return None
    waiting = await waiting_list(http, matching, await identity.headers(PLATFORM_ADMIN), programme, len(clock.paired),
                                 len(clock.enrolled))
    if waiting is not None and waiting.proposals:
        raise RuntimeError(f"matching left {waiting.proposals} couples it can make unpaired (continuous mode "
                           f"pairs a newcomer with any free counterpart it can meet): {clock.unpaired()[:10]}")
    if waiting is None or not waiting.complete:
        return None
    clock.waiting = {"people": waiting.unmatched_total, "reasons": waiting.reasons()}
    print(f"matching can pair none of the {waiting.unmatched_total} people still free ({waiting.reasons()}): "
          f"{clock.counts['paired']} pairs expected", flush=True)
    return clock.counts["paired"]


async def latency(servers: Servers, enrollment: str, seconds: float) -> dict[str, float]:
    identity = Identity(servers.oidc_issuer_url)
    try:
        return await enroll_at_steady_rate(enrollment, servers, identity, rate=5.0, seconds=seconds)
    finally:
        await identity.close()


def table(results: dict[int, dict], latency: dict[str, float] | None) -> list[str]:
    lines = ["| participants | import → last SessionScheduled | per participant | enrolled /s (chain) | "
             "paired /s (chain) | planned /s (chain) | lowest stage ratio | store CPU | idle store CPU (reminders "
             "inside; the backlog sent before it: store CPU) | load |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    base = min(results)
    for size, f in sorted(results.items()):
        chain = f["chain"]
        ratios = [f["rates"][s] / chain[h] for s, h in (("enrolled", "s0"), ("paired", "s1"), ("planned", "s2"))]
        per = f["seconds"] / size * 1000
        growth = per / (results[base]["seconds"] / base * 1000)
        idle = f["idle"]
        lines.append(f"| {size:,} | {f['seconds']:.0f} s | {per:.1f} ms ({growth:.2f}× of {base:,}) | "
                     f"{f['rates']['enrolled']:.0f} ({chain['s0']:.0f}) | {f['rates']['paired']:.1f} "
                     f"({chain['s1']:.0f}) | {f['rates']['planned']:.1f} ({chain['s2']:.0f}) | "
                     f"{min(ratios):.2f}× | {f['store_cpu_s']:.0f} s | {idle['pct']:.2f} % ({idle['reminders']} "
                     f"reminders; {idle['reminders_before']} before: {idle['reminders_before_cpu_s']:.0f} s) | "
                     f"{f['load'][0]:.1f}–{f['load'][1]:.1f} |")
    if latency:
        stages = ", ".join(f"{s} {q['p50'] * 1000:.0f}/{q['p99'] * 1000:.0f} ms" for s, q in latency["stages"].items())
        tail = "; ".join(f"{time.strftime('%H:%M:%S', time.gmtime(t['at']))} {t['total'] * 1000:.0f} = "
                         f"{t['on_kafka'] * 1000:.0f} + {t['matching'] * 1000:.0f} (HTTP {t['http'] * 1000:.0f})"
                         for t in latency["tail"])
        lines += ["", f"Enrollment → PairCreated at a steady 5/s ({latency['pairs']} pairs): "
                      f"p50 {latency['p50'] * 1000:.0f} ms, p99 {latency['p99'] * 1000:.0f} ms; by stage (p50/p99): "
                      f"{stages}.", "", "Slowest pairs (the later member's request, UTC: total = request -> on Kafka "
                      f"+ matching, ms; the HTTP answer's time beside): {tail}."]
    return lines


def cpu_per_item(results: dict[int, dict]) -> list[str]:
    """The stage ratios' reason in one figure: CPU milliseconds (all processes) per participant through the
    pipeline against per message through the chain's three hops, on the same 2 cores."""
    lines = []
    for size, f in sorted(results.items()):
        pipeline = (f["store_cpu_s"] + sum(f["service_cpu_s"].values())) / size * 1000
        chain = sum(f["chain_cpu_s"].values()) / size * 1000
        lines.append(f"CPU per item at {size:,}: pipeline {pipeline:.1f} ms per participant (store "
                     f"{f['store_cpu_s'] / size * 1000:.1f}), chain {chain:.2f} ms per message through its three hops "
                     f"({', '.join(f'{n} {v:.1f} s' for n, v in f['chain_cpu_s'].items())}).")
    return lines


@contextlib.contextmanager
def failure_names(server_logs: Path, service_logs: list[Path]) -> Iterator[None]:
    """A run that fails (an error, a stall broken with Ctrl-C) says where its logs are (the services': each
    size's so far)."""
    try:
        yield
    except BaseException:
        print(f"the run failed; servers' logs (Kafka, the store, Keycloak): {server_logs}; services' logs: "
              f"{', '.join(map(str, service_logs)) or 'none yet'}", file=sys.stderr, flush=True)
        raise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--latency-seconds", type=float, default=60.0)
    parser.add_argument("--store", choices=sorted(STORES), default="sqlite",
                        help="FerretDB v1 on SQLite (the default store) or on PostgreSQL; the chain uses the same")
    parser.add_argument("--write", action="store_true", help="write the figures into docs/benchmarks.md")
    parser.add_argument("--pipeline-only", action="store_true",
                        help="stop at the last SessionScheduled: no idle store, chain or latency (to repeat runs)")
    parser.add_argument("--keep-logs", action="store_true", help="each run's service logs in a folder of its own "
                        "(bench-pipeline-<size>-<UTC time>) instead of overwriting bench-pipeline-<size>, and the "
                        "servers' logs (Kafka, FerretDB, PostgreSQL, Keycloak) kept after a run that succeeds too "
                        "(bench-pipeline-servers-<UTC time>; a run that fails always keeps them)")
    args = parser.parse_args()
    load_start = os.getloadavg()
    results: dict[int, dict] = {}
    names = ("kafka", *STORES[args.store], "keycloak")
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    server_logs, service_logs = ROOT / ".local" / "logs" / f"bench-pipeline-servers-{stamp}", []
    ports = {k: str(v) for k, v in PORTS.items()}
    with failure_names(server_logs, service_logs), \
            throwaway_infra(names, ports, logs=server_logs, keep_logs=args.keep_logs) as infra:
        servers, store = infra_servers(infra), tuple(infra_pid(name, infra) for name in STORES[args.store])
        if args.store == "pg":
            pg_url = f"mongodb://127.0.0.1:{PORTS['BINOME_FERRETDB_PG_PORT']}/"  # servers/ferretdb_pg.sh
            servers = dataclasses.replace(servers, mongodb_url=pg_url, store_files=None)
        steady = None
        for size in args.sizes:
            prefix = f"bench_{size}_{uuid.uuid4().hex[:4]}_"
            logs = f"bench-pipeline-{size}" + (time.strftime("-%Y%m%dT%H%M%S", time.gmtime()) if args.keep_logs else "")
            print(f"service logs: {ROOT / '.local' / 'logs' / logs}", flush=True)
            service_logs.append(ROOT / ".local" / "logs" / logs)
            with running_services(servers, ROOT / ".local" / "logs" / logs,
                                  database_prefix=prefix, extra_env=SHIPPED) as services:
                urls = {n: s.url for n, s in services.items()}
                pids = {"kafka": infra_pid("kafka", infra), **{n: s.process.pid for n, s in services.items()}}
                results[size] = asyncio.run(one_size(servers, urls, store, size, pids, args.pipeline_only))
                if args.pipeline_only:
                    f = results[size]
                    print(f"{size:,}: {f['seconds']:.0f} s to the last SessionScheduled, {f['counts']}, load "
                          f"{f['load'][0]:.1f}-{f['load'][1]:.1f}, CPU s {f['service_cpu_s']}", flush=True)
                    continue
                row = next(r for r in table(results, None) if r.startswith(f"| {size:,} |"))  # growth vs the smallest
                print(row, f"CPU s: {results[size]['service_cpu_s']}", flush=True)
                if size == max(args.sizes) and args.latency_seconds > 0:
                    steady = asyncio.run(latency(servers, urls["enrollment"], args.latency_seconds))
    if args.pipeline_only:
        return
    lines = [*table(results, steady), "",
             "CPU seconds of Kafka and the services during each run: " + "; ".join(
                 f"{size:,}: {f['service_cpu_s']}" for size, f in sorted(results.items())), "",
             *cpu_per_item(results), "",
             f"Python {platform.python_version()}, {os.cpu_count()} cores; load average at start "
             f"{load_start[0]:.1f}, at end {os.getloadavg()[0]:.1f}; run "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; `PYTHONPATH=.:services uv run python -m "
             f"bench.pipeline --sizes {' '.join(map(str, args.sizes))} --store {args.store}`."]
    print("\n".join(lines))
    if args.write:
        write_section("Pipeline: a programme from import to its last SessionScheduled (issue 14)", "\n".join(lines))


if __name__ == "__main__":
    main()
