"""What one document access costs as a collection grows, on each local store, side by side.

Stores, each a throwaway server of its own (ports from BINOME_SERVICE_PORT_OFFSET):
  sqlite-as-shipped  FerretDB v1 on SQLite without our _id path index (-id-index-interval 0s)
  sqlite             FerretDB v1 on SQLite with it (deploy/local/ferretdb/id_index.go), the default
  postgresql         FerretDB v1 on Debian's PostgreSQL, with the containment indexes of
                     deploy/local/postgres/ferretdb_indexes.sql
  postgresql-as-shipped  the same without them (BINOME_FERRETDB_PG_INDEXES=0)

Operations, each timed `--ops` times at every size (median and p99, milliseconds):
  find_id          find_one({_id})                         every read of an aggregate
  versioned_update AggregateDocuments.update               every write of an aggregate (shared/mongo)
  id_version_filter update_one({_id, version})             the filter the code used before
  find_field       find({programme_id}) of 1/100 of docs   a secondary key (lists, rounds)
It ends with EXPLAIN of the PostgreSQL backend's _id lookup.

    uv run python -m bench.store_access --sizes 1000 10000
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable

from pymongo import AsyncMongoClient

from shared.mongo.aggregates import AggregateDocuments
from tools.servers import throwaway_infra

OFFSET = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))
STORES: dict[str, tuple[tuple[str, ...], dict[str, str], str]] = {
    "sqlite-as-shipped": (("ferretdb",), {"BINOME_MONGO_PORT": str(27981 + OFFSET),
                                           "BINOME_FERRETDB_ID_INDEX_INTERVAL": "0s"}, str(27981 + OFFSET)),
    "sqlite": (("ferretdb",), {"BINOME_MONGO_PORT": str(27982 + OFFSET)}, str(27982 + OFFSET)),
    "postgresql-as-shipped": (("postgres", "ferretdb_pg"), {"BINOME_POSTGRES_PORT": str(15983 + OFFSET),
                                                             "BINOME_FERRETDB_PG_PORT": str(27983 + OFFSET),
                                                             "BINOME_FERRETDB_PG_INDEXES": "0"}, str(27983 + OFFSET)),
    "postgresql": (("postgres", "ferretdb_pg"), {"BINOME_POSTGRES_PORT": str(15984 + OFFSET),
                                                  "BINOME_FERRETDB_PG_PORT": str(27984 + OFFSET)}, str(27984 + OFFSET)),
}
PAD = "x" * 900  # about 1 KB a document, like a participant or a pair


async def _timed(op: Callable[[int], Awaitable[object]], keys: list[int]) -> tuple[float, float]:
    times = []
    for k in keys:
        started = time.perf_counter()
        await op(k)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


async def measure(url: str, size: int, ops: int) -> dict[str, tuple[float, float]]:
    client = AsyncMongoClient(url, tz_aware=True)
    try:
        db = client["bench_store_access"]
        await db.drop_collection("docs")
        docs = db["docs"]
        await docs.create_index("programme_id")
        for start in range(0, size, 1000):
            await docs.insert_many([{"_id": f"doc-{i:06d}", "version": 1, "programme_id": f"p{i % 100}",
                                     "outbox": [], "pad": PAD} for i in range(start, min(size, start + 1000))])
        await asyncio.sleep(2.5)  # the SQLite indexer's pass (every 1 s) after the table appeared
        aggregates = AggregateDocuments(docs)
        versions = dict.fromkeys(range(size), 1)
        keys = [(k * 7919) % size for k in range(ops)]

        async def versioned(k: int) -> None:
            versions[k] = await aggregates.update(f"doc-{k:06d}", versions[k], {"touched": k})

        async def id_version(k: int) -> None:
            await docs.update_one({"_id": f"doc-{k:06d}", "version": versions[k]}, {"$set": {"other": k}})

        async def by_field(k: int) -> None:
            await docs.find({"programme_id": f"p{k % 100}"}, {"pad": 0}).to_list()

        return {
            "find_id": await _timed(lambda k: docs.find_one({"_id": f"doc-{k:06d}"}), keys),
            "versioned_update": await _timed(versioned, keys),
            "id_version_filter": await _timed(id_version, keys[: max(3, ops // 5)]),
            "find_field": await _timed(by_field, keys[: max(3, ops // 5)]),
        }
    finally:
        await client.drop_database("bench_store_access")
        await client.close()


def explain_postgres(env: dict[str, str]) -> str:
    psql = f"/usr/lib/postgresql/{_pg_major()}/bin/psql"
    base = [psql, "-h", "127.0.0.1", "-p", env["BINOME_POSTGRES_PORT"], "-U", "binome", "-d", "ferretdb", "-tAc"]
    tables = "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname = 'bench_explain' " \
             "AND tablename LIKE 'docs%'"
    table = subprocess.run([*base, tables], capture_output=True, text=True).stdout.strip()
    sql = (f"PREPARE q(text, jsonb) AS SELECT _jsonb FROM {table} WHERE _jsonb->$1 @> $2; "
           "EXPLAIN EXECUTE q('_id', '\"doc-000005\"')")
    return subprocess.run([*base, sql], capture_output=True, text=True).stdout.strip()


def _pg_major() -> str:
    return sorted(os.listdir("/usr/lib/postgresql"), key=int)[-1]


async def explain_setup(url: str) -> None:
    client = AsyncMongoClient(url)
    await client["bench_explain"]["docs"].insert_many([{"_id": f"doc-{i:06d}", "pad": PAD} for i in range(2000)])
    await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--ops", type=int, default=50)
    parser.add_argument("--stores", nargs="+", default=list(STORES), choices=list(STORES))
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    print("| store | documents | find_id | versioned_update | id_version_filter | find_field |")
    print("|---|---|---|---|---|---|")
    for name in args.stores:
        servers, env, port = STORES[name]
        with throwaway_infra(servers, env):
            url = f"mongodb://127.0.0.1:{port}/"
            for size in args.sizes:
                figures = asyncio.run(measure(url, size, args.ops))
                cells = " | ".join(f"{m:.2f} / {p:.2f}" for m, p in figures.values())
                print(f"| {name} | {size:,} | {cells} |", flush=True)
            if "postgres" in servers:
                asyncio.run(explain_setup(url))
                plan = explain_postgres(env).replace("\n", " ; ")
                print(f"|   EXPLAIN of a find by _id on {name}: {plan} |||||", flush=True)
    print(f"(median / p99 ms) load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
