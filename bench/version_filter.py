"""What a `{_id, version}` update filter costs against `{_id}` alone, by collection size: FerretDB v1
pushes down only `{_id}` and reads every document of the collection for any other filter
(shared/mongo/store_profile.py). The one-round-trip programme write (shared/mongo/aggregates.py) filters
by `{_id, version}`: this says for how many programme documents that stays cheap.

`uv run python -m bench.version_filter --docs 1 10 100 --kb 8 --writes 200` (the local store, or MONGODB_URL).
Each size: N documents of ~KB kilobytes, then WRITES updates of one of them, alternating the two filters;
medians and p99 per filter, in ms.
"""

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid

from pymongo import AsyncMongoClient

from tools.servers import acquire_servers


def p99(ms: list[float]) -> float:
    return sorted(ms)[max(0, round(len(ms) * 0.99) - 1)]


async def measure(url: str, docs: int, kb: int, writes: int) -> dict:
    client = AsyncMongoClient(url)
    db = client[f"bench_version_filter_{uuid.uuid4().hex[:8]}"]
    things = db["programmes"]
    filler = "x" * (kb * 1024)
    await things.insert_many([{"_id": f"p{i}", "version": 1, "journal": filler} for i in range(docs)])
    by_id, by_version, version = [], [], 1
    for n in range(writes):
        query = {"_id": "p0"} if n % 2 else {"_id": "p0", "version": version}
        start = time.perf_counter()
        result = await things.update_one(query, {"$set": {"version": version + 1, "journal": filler}})
        (by_id if n % 2 else by_version).append((time.perf_counter() - start) * 1000)
        assert result.matched_count == 1
        version += 1
    await client.drop_database(db.name)
    await client.close()
    return {"docs": docs, "kb": kb,
            "_id p50/p99": [round(statistics.median(by_id), 2), round(p99(by_id), 2)],
            "_id+version p50/p99": [round(statistics.median(by_version), 2), round(p99(by_version), 2)]}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--kb", type=int, default=8)
    parser.add_argument("--writes", type=int, default=200)
    args = parser.parse_args()
    with acquire_servers() as servers:
        for docs in args.docs:
            print(json.dumps({**await measure(servers.mongodb_url, docs, args.kb, args.writes),
                              "load": os.getloadavg()}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
