"""Benchmark: what each row of an HR import costs enrollment and its store, chunk by chunk (issue 14).

A throwaway Kafka, FerretDB and Keycloak (ports 29940, 27940 and 28098 shifted by
BINOME_SERVICE_PORT_OFFSET), enrollment alone as its own process counting its store commands
(bench/counted_serve.py). `--rows` of the generated export are imported over HTTP in chunks of 1,000
(as bench/pipeline_observe.py and the command-line tool do), then the same export again (nothing
changes). Per chunk: seconds, store commands per row, enrollment's and FerretDB's CPU seconds —
whether a chunk costs more as more is stored.

    PYTHONPATH=.:services uv run python -m bench.import_cost [--rows 10000]
"""

import argparse
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bench.hr_export import PROGRAMME, export
from bench.lists import bearer
from bench.pipeline_cpu import cpu_seconds
from shared.security import PLATFORM_ADMIN
from tools.processes import running_services
from tools.servers import LOCAL_SET, ROOT, infra_pid, infra_servers, throwaway_infra

OFFSET = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))
PORTS = {"BINOME_KAFKA_PORT": 29940 + OFFSET, "BINOME_MONGO_PORT": 27940 + OFFSET,
         "BINOME_KEYCLOAK_PORT": 28098 + OFFSET}
CHUNK = 1000


def store_commands(path: Path) -> int:
    try:
        return sum(n for k, n in json.loads(path.read_text()).items() if k.startswith("store "))
    except (OSError, ValueError):
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    header, *rows = export(args.rows).splitlines()
    chunks = ["\n".join([header, *rows[s:s + CHUNK]]) + "\n" for s in range(0, len(rows), CHUNK)]
    load = os.getloadavg()[0]
    lines = ["| pass | chunk | s | rows/s | store commands/row | enrollment CPU ms/row | FerretDB CPU ms/row |",
             "|---|---|---|---|---|---|---|"]
    totals: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder, throwaway_infra(
            LOCAL_SET, {k: str(v) for k, v in PORTS.items()}) as infra:
        servers, store = infra_servers(infra), infra_pid("ferretdb", infra)
        counts = Path(folder) / "enrollment.json"
        with running_services(servers, ROOT / ".local" / "logs" / "bench-import-cost",
                              database_prefix=f"bench_{uuid.uuid4().hex[:6]}_", names=("enrollment",),
                              module="bench.counted_serve", extra_env={"ROUND_TRIPS_FILE": str(counts)}) as services, \
                httpx.Client(base_url=services["enrollment"].url, timeout=600) as http:
            created = http.post("/programmes", json={"code": f"COST-{uuid.uuid4().hex[:6]}", **PROGRAMME},
                                headers=bearer(servers, PLATFORM_ADMIN))
            pid, hr = created.raise_for_status().json()["programme_id"], bearer(servers)
            service = services["enrollment"].process.pid
            for run in ("import", "again"):
                for n, body in enumerate(chunks):
                    time.sleep(0.6)  # the command counts are written every 0.5 s
                    before = (time.monotonic(), store_commands(counts), cpu_seconds(service), cpu_seconds(store))
                    report = http.post(f"/programmes/{pid}/imports", content=body.encode(),
                                       headers={"content-type": "text/csv", **hr}).raise_for_status().json()
                    seconds = time.monotonic() - before[0]
                    time.sleep(0.6)
                    size = report["rows"]
                    row = [seconds, (store_commands(counts) - before[1]) / size,
                           (cpu_seconds(service) - before[2]) * 1000 / size,
                           (cpu_seconds(store) - before[3]) * 1000 / size]
                    totals.setdefault(run, []).append(seconds)
                    if run == "again":
                        assert report["unchanged"] + len(report["rejected"]) == size, report
                    lines.append(f"| {run} | {n + 1} | {seconds:.2f} | {size / seconds:.0f} | {row[1]:.2f} | "
                                 f"{row[2]:.2f} | {row[3]:.2f} |")
                    print(lines[-1], flush=True)
    print(f"\n{args.rows:,} rows; load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end; " + "; ".join(
        f"{run}: {sum(t):.1f} s ({args.rows / sum(t):.0f} rows/s)" for run, t in totals.items()))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
