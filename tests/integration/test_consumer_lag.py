"""The lag reader against the real broker: a group's committed offsets against the end offsets."""

import asyncio
import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.messaging.broker import ensure_topics
from shared.observability.consumer_lag import ConsumerLagReader
from tests.kafka_probe import connection
from tools.servers import Servers


async def test_lag_counts_uncommitted_messages_and_ages_the_oldest(servers: Servers):
    bootstrap = servers.kafka_bootstrap_servers
    topic, group = f"it.lag-{uuid.uuid4().hex[:8]}.v1", f"lag-{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [topic], partitions=2, credentials=servers.kafka_as("admin"))
    producer = AIOKafkaProducer(**connection(servers), acks="all")
    await producer.start()
    sent_at = time.time()
    try:
        for i in range(5):
            await producer.send_and_wait(topic, f"m{i}".encode(), partition=0)
    finally:
        await producer.stop()
    await _commit(servers, group, TopicPartition(topic, 0), offset=2)

    reader = ConsumerLagReader(bootstrap, group, [topic], **servers.kafka_as("admin").client_kwargs())
    await reader.start()
    try:
        await asyncio.sleep(1.1)  # lets the oldest message age measurably; the assertion below is a lower bound
        lags = {p.partition: p for p in await reader.read()}
    finally:
        await reader.close()

    assert set(lags) == {0, 1}
    assert lags[0].lag == 3, "5 written, 2 committed"
    assert 1.0 <= lags[0].oldest_age_s <= time.time() - sent_at + 1
    assert (lags[1].lag, lags[1].oldest_age_s) == (0, 0.0), "an empty partition is caught up"


async def _commit(servers: Servers, group: str, tp: TopicPartition, offset: int) -> None:
    consumer = AIOKafkaConsumer(**connection(servers), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([tp])
        await consumer.commit({tp: offset})
    finally:
        await consumer.stop()


async def test_a_service_reads_its_own_groups_lag_as_its_own_principal(servers: Servers):
    """What each service does at run time (shared/observability/watch.py), within its ACLs."""
    topic = "scheduling.session-completed.v1"
    own = ConsumerLagReader(servers.kafka_bootstrap_servers, "feedback", [topic],
                            **servers.kafka_as("feedback").client_kwargs())
    await own.start()
    try:
        lags = await own.read()
    finally:
        await own.close()
    assert {p.topic for p in lags} == {topic} and len(lags) >= 1, "every partition of the consumed topic"
    assert all(p.lag >= 0 for p in lags)
