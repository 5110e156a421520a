"""What one store command costs FerretDB in CPU, under each garbage-collector setting (issue 14).

The pipeline's store cost is per command, not per byte (FerretDB's pprof: JSON decoding of stored
documents, statement preparation and garbage collection on every command), so this measures the CPU
seconds FerretDB's process spends on a fixed workload, divided by the commands: `--finds` exact `{_id}`
reads, half as many `$set` updates by `_id`, a quarter as many inserts, 16 in flight, against 5,000
stored documents of ~1 KB (`--doc-kb`: other sizes, each its own row: a command's cost grows with the
stored document FerretDB decodes and re-encodes, and so with what a service keeps in it). Each `--gogc`
value and size gets a throwaway FerretDB of its own (deploy/local,
BINOME_FERRETDB_GOGC; port 27984 shifted by BINOME_SERVICE_PORT_OFFSET), in the order given.
CPU time, not wall time, so other work on the machine matters less (caches and frequency still do).

    PYTHONPATH=.:services uv run python -m bench.store_command_cpu [--gogc 100 800] [--finds 20000] [--doc-kb 1 9]
"""

import argparse
import asyncio
import os
import time
import uuid

from pymongo import AsyncMongoClient

from bench.pipeline_cpu import cpu_seconds
from bench.service_footprint import status
from tools.servers import infra_pid, throwaway_infra

OFFSET = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))
PORT = 27984 + OFFSET
STORED = 5000
IN_FLIGHT = 16


async def _concurrently(make, count: int) -> None:
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one(i: int) -> None:
        async with slots:
            await make(i)

    await asyncio.gather(*(one(i) for i in range(count)))


async def _measure(pid: int, finds: int, doc_kb: float = 1.0) -> dict[str, float]:
    client = AsyncMongoClient(f"mongodb://127.0.0.1:{PORT}/")
    try:
        docs, extra = client["bench_cpu"]["docs"], client["bench_cpu"]["extra"]
        # Small objects, as the services' documents hold (FerretDB's cost is per field as well as per byte):
        # 6 of ~87 bytes each at doc_kb=1 (0.7 KB of BSON in all with the other fields), 100 at 9 (8.4 KB).
        items = int(doc_kb * 1024 - 424) // 87
        payload = [{"id": str(uuid.UUID(int=k)), "n": k, "status": "scheduled"} for k in range(items)]
        stored = [{"_id": f"d{i}", "programme_id": "p", "version": 1, "payload": payload, "items": list(range(20))}
                  for i in range(STORED)]
        for start in range(0, STORED, 100):
            await docs.insert_many(stored[start:start + 100])
        await asyncio.sleep(3)  # the _id path index (deploy/local/ferretdb/id_index.go) is added within a second
        per_command, before = {}, cpu_seconds(pid)
        for name, count, make in (
            ("find", finds, lambda i: docs.find_one({"_id": f"d{i % STORED}"})),
            ("update", finds // 2, lambda i: docs.update_one({"_id": f"d{i % STORED}"}, {"$set": {"version": i}})),
            ("insert", finds // 4, lambda i: extra.insert_one({"_id": str(uuid.uuid4()), "payload": payload})),
        ):
            await _concurrently(make, count)
            after = cpu_seconds(pid)
            per_command[name], before = 1000 * (after - before) / count, after
        return per_command
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gogc", nargs="+", default=["100", "800", "100", "800"])
    parser.add_argument("--finds", type=int, default=20000)
    parser.add_argument("--doc-kb", type=float, nargs="+", default=[1.0], help="stored (and inserted) document sizes")
    args = parser.parse_args()
    print("| GOGC | document KB | find (ms CPU) | update | insert | FerretDB resident MB | load average |")
    print("|---|---|---|---|---|---|---|")
    for gogc in args.gogc:
        for doc_kb in args.doc_kb:
            env = {"BINOME_MONGO_PORT": str(PORT), "BINOME_FERRETDB_GOGC": gogc}
            with throwaway_infra(("ferretdb",), env) as infra:
                pid = infra_pid("ferretdb", infra)
                figures = asyncio.run(_measure(pid, args.finds, doc_kb))
                print(f"| {gogc} | {doc_kb:g} | {figures['find']:.3f} | {figures['update']:.3f} | "
                      f"{figures['insert']:.3f} | {status(pid)['rss_mib']} | {os.getloadavg()[0]:.1f} |", flush=True)
    print(f"\n{args.finds} finds, {args.finds // 2} updates, {args.finds // 4} inserts per row; "
          f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")


if __name__ == "__main__":
    main()
