"""What k concurrent reads of small documents by `_id` cost on the store, alone and beside a writer:
the reads a mentor's arrival made of the pairs' index pages (one ~1.5 KB page per pair, read
concurrently) before they were kept in memory (shared/mongo/index_memory.py).

`uv run python -m bench.store_concurrent_reads [--batches 100]` (the store: MONGODB_URL, else the
project's local one). Per k in 1, 4, 10: p50 / p99 ms of a batch of k concurrent `find_one`, with
nothing else running, then beside a loop of bulk writes (8 updates) on the same collection, then
beside a loop of updates of another collection; this process's CPU per batch (the client's share,
the writer's included when there is one) and the connections pymongo opened meanwhile.
"""

import argparse
import asyncio
import json
import os
import time
import uuid

import numpy as np
from pymongo import AsyncMongoClient, UpdateOne, monitoring

from tools.servers import acquire_servers


class Opened(monitoring.ConnectionPoolListener):
    """Counts the connections pymongo opens (the other pool events are ignored)."""

    def __init__(self) -> None:
        self.count = 0

    def connection_created(self, event) -> None:
        self.count += 1


for _name in ("pool_created", "pool_ready", "pool_cleared", "pool_closed", "connection_ready",
              "connection_closed", "connection_check_out_started", "connection_check_out_failed",
              "connection_checked_out", "connection_checked_in"):
    setattr(Opened, _name, lambda self, event: None)


async def batches(pages, k: int, n: int, cpu: list[float] | None = None) -> list[float]:
    """Each batch's wall ms; `cpu` gets this process's CPU ms per batch (the client's share)."""
    ms = []
    for b in range(n):
        start, used = time.perf_counter(), time.process_time()
        await asyncio.gather(*(pages.find_one({"_id": f"p:{(b * k + j) % 256}"}) for j in range(k)))
        ms.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - used) * 1000)
        await asyncio.sleep(0.005)
    return ms


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=100)
    args = parser.parse_args()
    opened = Opened()
    with acquire_servers() as servers:
        client = AsyncMongoClient(servers.mongodb_url, event_listeners=[opened])
        db = client[f"bench_reads_{uuid.uuid4().hex[:6]}"]
        pages = db["pages"]
        await pages.insert_many([{"_id": f"p:{i}", "items": {uuid.uuid4().hex: {"status": "active", "country": "FR"}
                                                          for _ in range(22)}} for i in range(256)])
        await db["other"].insert_one({"_id": "x", "n": 0})
        await batches(pages, 10, 5)  # the pool's connections
        stop = asyncio.Event()

        async def writer(same: bool) -> None:
            i = 0
            while not stop.is_set():
                if same:
                    await pages.bulk_write([UpdateOne({"_id": f"p:{(i + j) % 256}"}, {"$set": {"w": i}})
                                            for j in range(8)], ordered=True)
                else:
                    await db["other"].update_one({"_id": "x"}, {"$inc": {"n": 1}})
                i += 1

        out = {}
        for beside in ("nothing", "bulk writes, same collection", "updates, other collection"):
            stop.clear()
            task = None if beside == "nothing" else asyncio.create_task(writer(beside.endswith("same collection")))
            for k in (1, 4, 10):
                before, cpu = opened.count, []
                ms = np.array(await batches(pages, k, args.batches, cpu))
                out[f"{k} reads beside {beside}"] = {
                    "p50_ms": round(float(np.percentile(ms, 50)), 1), "p99_ms": round(float(np.percentile(ms, 99)), 1),
                    "client_cpu_ms_p50": round(float(np.median(cpu)), 2), "connections_opened": opened.count - before}
                print(json.dumps({f"{k} reads beside {beside}": out[f"{k} reads beside {beside}"]}), flush=True)
            stop.set()
            if task:
                await task
        await client.drop_database(db.name)
        await client.close()
    print(json.dumps({"load": os.getloadavg(), **out}))


if __name__ == "__main__":
    asyncio.run(main())
