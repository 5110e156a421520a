"""Benchmark: one programme through enrollment, matching and scheduling, at growing sizes (issue 14).

For each size (default 1,000, 4,000 and 10,000 participants), on a throwaway Kafka + FerretDB (ports
from BINOME_SERVICE_PORT_OFFSET) with the four services as OS processes:
- the HR export is imported (chunks of 1,000 rows) and the run ends at the last SessionScheduled
  on Kafka, read by a plain consumer; per stage: events in / (last event out - first event in);
- the store's CPU seconds during the run (FerretDB's /proc stat), and idle afterwards (% of a core);
- in the same run, on the same broker and store, a chain of plain aiokafka relays (bench/relay_chain.py)
  with one keyed store write per message, and each stage's ratio to its hop;
then, on the largest size's services, p50/p99 from an HTTP enrollment to its PairCreated at 5/s.
Targets: 10,000 in <= 10 min; time per participant at 10,000 within 1.3x of 1,000; every stage
>= 0.45x the chain; enrollment -> PairCreated p99 <= 1 s at 5/s; idle store CPU < 2 % of a core.

    uv run python -m bench.pipeline [--sizes 1000 4000 10000] [--latency-seconds 60] [--write]
"""

import argparse
import asyncio
import os
import platform
import time
import uuid

import httpx

from bench.pipeline_observe import StageClock, cpu_seconds, enroll_at_steady_rate, idle_cpu, import_export
from bench.relay_chain import run_chain
from bench.report import write_section
from tools.demo_programme import PROGRAMME, hr_export
from tools.processes import running_services
from tools.servers import ROOT, _infra, throwaway_infra

OFFSET = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))
KAFKA_PORT, MONGO_PORT = 29900 + OFFSET, 27900 + OFFSET


def store_pid(env: dict[str, str]) -> int:
    return int(_infra("pid", "ferretdb", env=env).stdout.split()[0])


async def one_size(urls: dict[str, str], bootstrap: str, mongodb_url: str, pid: int, size: int,
                   service_pids: dict[str, int]) -> dict:
    async with httpx.AsyncClient(timeout=600) as http:
        code = f"BENCH-{size}-{uuid.uuid4().hex[:6]}"
        programme = (await http.post(f"{urls['enrollment']}/programmes", json={"code": code, **PROGRAMME})).json()
        clock = StageClock(bootstrap, programme["programme_id"], PROGRAMME["sessions_per_pair"])
        await clock.start()
        cpu_before, started = cpu_seconds(pid), time.time()
        services_before = {n: cpu_seconds(p) for n, p in service_pids.items()}
        await import_export(http, urls["enrollment"], programme["programme_id"], hr_export(size))
        figures = await clock.until_scheduled(expected_pairs=size // 2, started=started)
        figures["store_cpu_s"] = cpu_seconds(pid) - cpu_before
        figures["service_cpu_s"] = {n: round(cpu_seconds(p) - services_before[n], 1) for n, p in service_pids.items()}
        figures["idle_store_cpu_pct"] = await idle_cpu(pid, seconds=30)
    figures["chain"] = await run_chain(bootstrap, mongodb_url, size)
    return figures


def table(results: dict[int, dict], latency: dict[str, float] | None) -> list[str]:
    lines = ["| participants | import → last SessionScheduled | per participant | enrolled /s (chain) | "
             "paired /s (chain) | planned /s (chain) | lowest stage ratio | store CPU | idle store CPU |",
             "|---|---|---|---|---|---|---|---|---|"]
    base = min(results)
    for size, f in sorted(results.items()):
        chain = f["chain"]
        ratios = [f["rates"][s] / chain[h] for s, h in (("enrolled", "s0"), ("paired", "s1"), ("planned", "s2"))]
        per = f["seconds"] / size * 1000
        growth = per / (results[base]["seconds"] / base * 1000)
        lines.append(f"| {size:,} | {f['seconds']:.0f} s | {per:.1f} ms ({growth:.2f}× of {base:,}) | "
                     f"{f['rates']['enrolled']:.0f} ({chain['s0']:.0f}) | {f['rates']['paired']:.1f} "
                     f"({chain['s1']:.0f}) | {f['rates']['planned']:.1f} ({chain['s2']:.0f}) | "
                     f"{min(ratios):.2f}× | {f['store_cpu_s']:.0f} s | {f['idle_store_cpu_pct']:.2f} % |")
    if latency:
        lines += ["", f"Enrollment → PairCreated at a steady 5/s ({latency['pairs']} pairs): "
                      f"p50 {latency['p50'] * 1000:.0f} ms, p99 {latency['p99'] * 1000:.0f} ms."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--latency-seconds", type=float, default=60.0)
    parser.add_argument("--write", action="store_true", help="write the figures into docs/benchmarks.md")
    args = parser.parse_args()
    load_start = os.getloadavg()
    results: dict[int, dict] = {}
    env = {"BINOME_KAFKA_PORT": str(KAFKA_PORT), "BINOME_MONGO_PORT": str(MONGO_PORT)}
    with throwaway_infra(("kafka", "ferretdb"), env) as infra:
        bootstrap, mongodb_url = f"127.0.0.1:{KAFKA_PORT}", f"mongodb://127.0.0.1:{MONGO_PORT}/"
        latency = None
        for size in args.sizes:
            prefix = f"bench_{size}_{uuid.uuid4().hex[:4]}_"
            servers = type("S", (), {"kafka_bootstrap_servers": bootstrap, "mongodb_url": mongodb_url})()
            with running_services(servers, ROOT / ".local" / "logs" / f"bench-pipeline-{size}",
                                  database_prefix=prefix) as services:
                urls = {n: s.url for n, s in services.items()}
                pids = {n: s.process.pid for n, s in services.items()}
                results[size] = asyncio.run(one_size(urls, bootstrap, mongodb_url, store_pid(infra), size, pids))
                print(table({size: results[size]}, None)[-1], f"services' CPU s: {results[size]['service_cpu_s']}",
                      flush=True)
                if size == max(args.sizes) and args.latency_seconds > 0:
                    latency = asyncio.run(enroll_at_steady_rate(urls["enrollment"], bootstrap, rate=5.0,
                                                                seconds=args.latency_seconds))
    lines = [*table(results, latency), "",
             "Services' CPU seconds during each run: " + "; ".join(
                 f"{size:,}: {f['service_cpu_s']}" for size, f in sorted(results.items())), "",
             f"Python {platform.python_version()}, {os.cpu_count()} cores; load average at start "
             f"{load_start[0]:.1f}, at end {os.getloadavg()[0]:.1f}; run "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; `uv run python -m bench.pipeline "
             f"--sizes {' '.join(map(str, args.sizes))}`."]
    print("\n".join(lines))
    if args.write:
        write_section("Pipeline: a programme from import to its last SessionScheduled", "\n".join(lines))


if __name__ == "__main__":
    main()
