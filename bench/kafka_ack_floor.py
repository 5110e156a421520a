"""The broker's own share of a `PairCreated`'s latency: one plain aiokafka producer sending one
record of ~2 KB at a time (the size of a `PairCreated`), each acknowledged before the next, with the
relay's settings (acks=all, idempotence, bench/matching_service.py's `broker_ack_ms` is the same
wait seen from the service) and, for comparison, with acks=1 without idempotence.

`uv run python -m bench.kafka_ack_floor --records 400` (the local servers, or the environment's).
A pause of 20 ms between records, as arrivals come one at a time; the first 50 are left out.
"""

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench.version_filter import p99
from tools.servers import acquire_servers

SETTINGS = {"acks=all, idempotent (the relay's)": {"acks": "all", "enable_idempotence": True},
            "acks=1": {"acks": 1, "enable_idempotence": False}}


async def measure(kafka: dict, topic: str, records: int, settings: dict) -> dict:
    producer = AIOKafkaProducer(**kafka, **settings)
    await producer.start()
    try:
        ms = []
        for n in range(records):
            start = time.perf_counter()
            await producer.send_and_wait(topic, os.urandom(1000).hex().encode(), key=str(n).encode())
            ms.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(0.02)
    finally:
        await producer.stop()
    kept = ms[50:]
    return {"p50_ms": round(statistics.median(kept), 2), "p99_ms": round(p99(kept), 2)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=400)
    args = parser.parse_args()
    with acquire_servers() as servers:
        kafka = {"bootstrap_servers": servers.kafka_bootstrap_servers, **servers.kafka_as("admin").client_kwargs()}
        topic = f"bench-ack-floor-{uuid.uuid4().hex[:8]}"
        admin = AIOKafkaAdminClient(**kafka)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(topic, 3, 1)])
            results = {name: await measure(kafka, topic, args.records, s) for name, s in SETTINGS.items()}
            await admin.delete_topics([topic])
        finally:
            await admin.close()
    print(json.dumps({**results, "load": os.getloadavg()}))


if __name__ == "__main__":
    asyncio.run(main())
