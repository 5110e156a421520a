"""A run on new databases starts its services' consumer groups after everything already on their topics.

A run (a test tier or module, the demo, a benchmark) gives the services databases of their own, but
their consumer groups are the services' names, shared with every earlier run on the same Kafka. A
record an earlier run left unprocessed names data that only that run's databases hold: a PairCreated
whose participants' data keys went into them. The new run would put it back and wait for a key that
never comes (up to the deferral limit, an hour), holding up that partition and every pair behind it.
"""

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from tools.kafka_access import consumes
from tools.servers import Servers

log = logging.getLogger(__name__)


async def start_at_end(servers: Servers, services: Iterable[str], timeout_s: float = 120.0) -> dict[str, int]:
    """Commits each service group's offsets at the end of the topics it reads; returns how many records
    each group skips. A group still holding members of a killed process is retried until the broker has
    expired them (its session timeout)."""
    skipped: dict[str, int] = {}
    for service in services:
        topics = consumes(service)
        if topics:
            skipped[service] = await _commit_ends(servers, service, topics, time.monotonic() + timeout_s)
    if any(skipped.values()):
        log.info("consumer groups start after the records earlier runs left: %s", skipped)
    return skipped


async def _commit_ends(servers: Servers, group: str, topics: list[str], deadline: float) -> int:
    connection = {"bootstrap_servers": servers.kafka_bootstrap_servers, **servers.kafka_as("admin").client_kwargs()}
    admin = AIOKafkaAdminClient(**connection)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    partitions = [TopicPartition(t["topic"], p["partition"]) for t in described if not t["error_code"]
                  for p in t["partitions"]]
    consumer = AIOKafkaConsumer(group_id=group, enable_auto_commit=False, **connection)
    await consumer.start()
    try:
        if not partitions:
            return 0
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        committed = {tp: await consumer.committed(tp) for tp in partitions}
        behind = {tp: end for tp, end in ends.items() if committed[tp] is None or committed[tp] < end}
        while behind:
            try:
                await consumer.commit(behind)
                break
            except KafkaError as exc:  # the group has members: a killed process's, until their session expires
                if time.monotonic() > deadline:
                    raise RuntimeError(f"consumer group {group} still has members; cannot move it: {exc!r}") from exc
                await asyncio.sleep(1)
        return sum(end - (committed[tp] or 0) for tp, end in behind.items())
    finally:
        await consumer.stop()


def start_at_end_now(servers: Servers, services: Iterable[str]) -> dict[str, int]:
    """`start_at_end` from synchronous code, whether or not an event loop runs in this thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, start_at_end(servers, list(services))).result()
