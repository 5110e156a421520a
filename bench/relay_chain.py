"""The baseline of bench/pipeline.py: a chain of plain aiokafka relays on the same broker and store.

Hop i consumes `bench.chain-<run>.s<i>`, writes one document keyed by the message key to the store
(`update_one({_id: key}, $set, upsert)`, what an idempotent consumer needs at least), sends the
message on to `s<i+1>` (acks=all, idempotence, like the services) and commits after each batch.
No framework, no validation, no inbox, no outbox: the strongest honest "same work, less machinery".
A hop's rate is measured like a service's stage: messages in / (last message out - first message in).
"""

import asyncio
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from pymongo import AsyncMongoClient, UpdateOne

PAYLOAD = b'{"event_type":"ParticipantEnrolled","padding":"' + b"x" * 900 + b'"}'


async def _hop(bootstrap: str, client: AsyncMongoClient, run: str, i: int, expected: int) -> None:
    consumer = AIOKafkaConsumer(f"bench.chain-{run}.s{i}", bootstrap_servers=bootstrap, group_id=f"chain-{run}-{i}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    store = client[f"bench_chain_{run}"][f"hop{i}"]
    await consumer.start()
    await producer.start()
    relayed = 0
    try:
        while relayed < expected:
            for records in (await consumer.getmany(timeout_ms=500, max_records=500)).values():
                await store.bulk_write([UpdateOne({"_id": r.key.decode()}, {"$set": {"offset": r.offset}}, upsert=True)
                                        for r in records], ordered=False)
                for r in records:
                    await producer.send(f"bench.chain-{run}.s{i + 1}", r.value, key=r.key)
                await producer.flush()
                await consumer.commit()
                relayed += len(records)
    finally:
        await producer.stop()
        await consumer.stop()


async def _timestamps(bootstrap: str, topic: str, expected: int) -> tuple[float, float]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"probe-{uuid.uuid4().hex[:6]}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    seen, first, last = 0, float("inf"), 0.0
    try:
        while seen < expected:
            for records in (await consumer.getmany(timeout_ms=500, max_records=5000)).values():
                seen += len(records)
                first = min(first, *(r.timestamp / 1000 for r in records))
                last = max(last, *(r.timestamp / 1000 for r in records))
    finally:
        await consumer.stop()
    return first, last


async def run_chain(bootstrap: str, mongodb_url: str, messages: int, hops: int = 3) -> dict[str, float]:
    """Events/s of each hop (`s0` is the producer's own rate, like the import)."""
    run = uuid.uuid4().hex[:6]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    await admin.create_topics([NewTopic(f"bench.chain-{run}.s{i}", 3, 1) for i in range(hops + 1)])
    await admin.close()
    client = AsyncMongoClient(mongodb_url)
    relays = [asyncio.create_task(_hop(bootstrap, client, run, i, messages)) for i in range(hops)]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5)
    await producer.start()
    started = time.time()
    for n in range(messages):
        await producer.send(f"bench.chain-{run}.s0", PAYLOAD, key=f"key-{n:06d}".encode())
    await producer.flush()
    await producer.stop()
    await asyncio.gather(*relays)
    stamps = [await _timestamps(bootstrap, f"bench.chain-{run}.s{i}", messages) for i in range(hops + 1)]
    await client.drop_database(f"bench_chain_{run}")
    await client.close()
    rates = {"s0": messages / max(stamps[0][1] - started, 1e-3)}
    for i in range(1, hops + 1):
        rates[f"s{i}"] = messages / max(stamps[i][1] - stamps[i - 1][0], 1e-3)
    return rates
