"""What a programme write's size and shape cost on the store: one document updated again and again
by `{_id, version}`, as matching's continuous mode writes it, alternating four shapes of the same
write. `mentor`: a mentor's decision (ten `PairCreated` outbox entries of ~2 KB, each with both
members' sealed profiles, the mentor's the same in all ten, and a ~6.5 KB journal as JSON text:
~28 KB of BSON); `mentee`: one entry and a small journal (~3 KB); `empty`: the document alone;
`packed`: the mentor's entries and journal compressed together into one binary field (~9 KB).

`uv run python -m bench.store_write_shape --writes 150` (the local store, or MONGODB_URL). Medians,
p90 and p99 per shape, in ms; the first 20 writes of each are left out.
"""

import argparse
import asyncio
import base64
import json
import os
import statistics
import time
import uuid
import zlib

import bson
from pymongo import AsyncMongoClient

from tools.servers import acquire_servers

SHAPES = ("mentor", "mentee", "empty", "packed")


def _sealed() -> str:
    return base64.b64encode(os.urandom(420)).decode()


def _event(mentor: str) -> str:
    return json.dumps({
        "event_id": str(uuid.uuid4()), "event_type": "PairCreated", "occurred_at": "2026-12-03T15:00:00Z",
        "correlation_id": str(uuid.uuid4()), "causation_id": str(uuid.uuid4()), "producer": "matching",
        "schema_version": 2, "pair_id": str(uuid.uuid4()), "programme_id": str(uuid.uuid4()), "country": "FR",
        "language": "fr", "mentor": {"participant_id": str(uuid.uuid4()), "profile": mentor},
        "mentee": {"participant_id": str(uuid.uuid4()), "profile": _sealed()}, "score": 0.73,
        "score_breakdown": {"complementarity": 0.4, "availability": 0.2, "time_zone": 0.13},
        "learning_directions": {"ai": "mentor_teaches", "copilot": "mentor_teaches"}, "override": None})


def _entries(count: int, version: int) -> list[dict]:
    mentor = _sealed()
    return [{"event_id": str(uuid.uuid4()), "event_type": "PairCreated", "topic": "matching.pair-created.v2",
             "key": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4()), "value": _event(mentor), "v": version,
             "traceparent": f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01"} for _ in range(count)]


def shape(name: str, version: int) -> dict:
    if name == "mentor":
        return {"outbox": _entries(10, version), "journal": "j" * 6500}
    if name == "mentee":
        return {"outbox": _entries(1, version), "journal": "j" * 900}
    if name == "empty":
        return {"outbox": [], "journal": ""}
    packed = zlib.compress((json.dumps(_entries(10, version)) + "j" * 6500).encode(), 1)
    return {"outbox": [{"packed": bson.Binary(packed), "v": version}], "journal": ""}


async def measure(url: str, writes: int) -> dict:
    client = AsyncMongoClient(url)
    db = client[f"bench_write_shape_{uuid.uuid4().hex[:8]}"]
    programmes = db["programmes"]
    state = {"launched": True, "mode": "continuous", "rules": [],
             "policy": {"mentor_capacity": 10, "weights": [{"key": "complementarity", "value": 1}]}}
    for name in SHAPES:
        await programmes.insert_one({"_id": name, **state, "version": 1, **shape(name, 1)})
    ms: dict[str, list[float]] = {name: [] for name in SHAPES}
    version = 1
    for _ in range(writes):
        for name in SHAPES:
            doc = shape(name, version + 1)
            start = time.perf_counter()
            result = await programmes.update_one({"_id": name, "version": version},
                                                 {"$set": {**state, **doc, "version": version + 1}})
            ms[name].append((time.perf_counter() - start) * 1000)
            assert result.modified_count == 1
            await asyncio.sleep(0.01)
        version += 1
    await client.drop_database(db.name)
    await client.close()
    out = {}
    for name in SHAPES:
        kept = sorted(ms[name][20:])
        out[name] = {"bson_bytes": len(bson.encode(shape(name, 1))), "p50_ms": round(statistics.median(kept), 2),
                     "p90_ms": round(kept[int(len(kept) * 0.9)], 2), "p99_ms": round(kept[int(len(kept) * 0.99)], 2)}
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=150)
    args = parser.parse_args()
    with acquire_servers() as servers:
        print(json.dumps({**await measure(servers.mongodb_url, args.writes), "load": os.getloadavg()}))


if __name__ == "__main__":
    asyncio.run(main())
