"""Benchmark: what an idle platform costs its store, and which periodic job costs it (issue 14).

On a throwaway Kafka (SASL/SCRAM), FerretDB and Keycloak (ports 29940, 27940 and 28098 shifted by
BINOME_SERVICE_PORT_OFFSET), a programme of `--participants` is imported and followed to its last
SessionScheduled with the shipped settings; once every consumer group has drained its topics, the store
is watched (as bench/pipeline.py does), then the services are restarted on the same databases with each
periodic job switched off in turn (scheduling's ticker, the operations monitor, the outbox sweep, all
three) and, per variant, FerretDB's CPU (% of a core) and each service's store commands
(bench/counted_serve.py) are read every `--window` seconds.

    PYTHONPATH=.:services uv run python -m bench.idle_store [--participants 2000] [--seconds 60] [--write]
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

from bench.pipeline_cpu import cpu_seconds, drained
from bench.pipeline_observe import StageClock, create_programme, import_export
from bench.report import write_section
from tools.demo_programme import PROGRAMME, hr_export
from tools.identity import Identity
from tools.processes import SERVICES, running_services
from tools.servers import LOCAL_SET, ROOT, Servers, infra_pid, infra_servers, throwaway_infra

OFFSET = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))
PORTS = {"BINOME_KAFKA_PORT": 29940 + OFFSET, "BINOME_MONGO_PORT": 27940 + OFFSET,
         "BINOME_KEYCLOAK_PORT": 28098 + OFFSET}
SHIPPED = {"OUTBOX_SWEEP_INTERVAL_S": "60", "METRICS_REFRESH_INTERVAL_S": "15", "TICK_INTERVAL_SECONDS": "60"}
OFF = {"ticker": {"TICK_INTERVAL_SECONDS": "0"}, "monitor": {"METRICS_REFRESH_INTERVAL_S": "1000000"},
       "sweep": {"OUTBOX_SWEEP_INTERVAL_S": "1000000"}}
AFTER = "right after the run, drained (as bench.pipeline)"
VARIANTS = {"all on (shipped)": {}, "ticker off": OFF["ticker"], "monitor off": OFF["monitor"],
            "sweep off": OFF["sweep"], "all three off": {**OFF["ticker"], **OFF["monitor"], **OFF["sweep"]}}


def counts(folder: Path) -> dict[str, Counter[str]]:
    found = {}
    for name in SERVICES:
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
            found[name] = Counter({k: v for k, v in json.loads((folder / f"{name}.json").read_text()).items()
                                   if k.startswith("store ")})
    return found


async def populate(servers: Servers, enrollment: str, participants: int) -> None:
    identity = Identity(servers.oidc_issuer_url)
    async with httpx.AsyncClient(timeout=600) as http:
        programme = await create_programme(http, enrollment, identity, f"IDLE-{uuid.uuid4().hex[:6]}")
        clock = StageClock(servers, programme, PROGRAMME["sessions_per_pair"])
        await clock.start()
        await import_export(http, enrollment, identity, programme, hr_export(participants))
        await clock.until_scheduled(expected_pairs=participants // 2, started=time.time())
    await identity.close()
    await drained(servers)


def watch(store_pid: int, folder: Path, seconds: float, window: float) -> dict:
    """Per window: the store's CPU % and each service's store commands; the variant's mean."""
    windows, total_cpu, started = [], 0.0, time.monotonic()
    while time.monotonic() - started < seconds:
        cpu0, before, t0 = cpu_seconds(store_pid), counts(folder), time.monotonic()
        time.sleep(window)
        time.sleep(0.6)  # the counts files are rewritten every 0.5 s
        cpu, after = cpu_seconds(store_pid) - cpu0, counts(folder)
        by_name = {n: after.get(n, Counter()) - before.get(n, Counter()) for n in SERVICES}
        commands = {n: sum(c.values()) for n, c in by_name.items()}
        windows.append({"cpu_pct": 100 * cpu / (time.monotonic() - t0), "commands": commands})
        total_cpu += cpu
        shown = {n: {k.removeprefix("store "): v for k, v in c.items()} for n, c in by_name.items() if c}
        print(f"  {time.strftime('%H:%M:%S')} store {windows[-1]['cpu_pct']:5.2f} % commands {shown}", flush=True)
    return {"cpu_pct": 100 * total_cpu / (time.monotonic() - started), "windows": windows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0, help="measured per variant")
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--settle", type=float, default=15.0, help="after each start, before measuring")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS))
    parser.add_argument("--write", action="store_true", help="write the figures into docs/benchmarks.md")
    args = parser.parse_args()
    load_start, results = os.getloadavg(), {}
    with tempfile.TemporaryDirectory(prefix="binome-idle-") as tmp, \
            throwaway_infra(LOCAL_SET, {k: str(v) for k, v in PORTS.items()}) as infra:
        servers, store, folder = infra_servers(infra), infra_pid("ferretdb", infra), Path(tmp)
        prefix, logs = f"idle_{uuid.uuid4().hex[:4]}_", ROOT / ".local" / "logs" / "bench-idle-store"

        def start(env: dict[str, str]) -> contextlib.ExitStack:
            stack = contextlib.ExitStack()
            for name in SERVICES:  # one process each, each with its own counts file
                counted = {**SHIPPED, **env, "ROUND_TRIPS_FILE": str(folder / f"{name}.json")}
                stack.enter_context(running_services(servers, logs, database_prefix=prefix, names=(name,),
                                                     module="bench.counted_serve", extra_env=counted))
            return stack

        with start({}) as _:
            asyncio.run(populate(servers, f"http://127.0.0.1:{SERVICES['enrollment'] + OFFSET}", args.participants))
            load = os.getloadavg()[0]
            print(f"populated {args.participants}; {AFTER} (load {load:.1f})", flush=True)
            results[AFTER] = {**watch(store, folder, args.seconds, args.window), "load": load}
        for label in args.variants:
            with start(VARIANTS[label]):
                time.sleep(args.settle)
                load = os.getloadavg()[0]
                print(f"{label} (load {load:.1f})", flush=True)
                results[label] = {**watch(store, folder, args.seconds, args.window), "load": load}
    lines = ["| variant | idle store CPU (% of a core) | per 10 s window | store commands (enrollment, matching, "
             "scheduling, feedback) | load |", "|---|---|---|---|---|"]
    for label, r in results.items():
        per_window = ", ".join(f"{w['cpu_pct']:.1f}" for w in r["windows"])
        commands = [sum(w["commands"][n] for w in r["windows"]) for n in SERVICES]
        lines.append(f"| {label} | **{r['cpu_pct']:.2f} %** | {per_window} | {', '.join(map(str, commands))} | "
                     f"{r['load']:.1f} |")
    lines += ["", f"{args.participants} participants stored, {args.seconds:.0f} s per variant; load average "
              f"{load_start[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end; run "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."]
    print("\n".join(lines))
    if args.write:
        write_section("Idle store: which periodic job costs it (issue 14)", "\n".join(lines))


if __name__ == "__main__":
    main()
