"""Each principal on the real broker may do exactly what the code's topic registry says
(tools/kafka_access.py): a service publishes only its own topics and dead letters, the enterprise
subscriber reads the public events and nothing else, the dead-letter operator reads dead letters and
writes only where they came from and its record of actions, and nobody gets in without a password."""

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import GroupAuthorizationFailedError, KafkaError, TopicAuthorizationFailedError

from shared.contracts import dlq_topic
from tests.kafka_probe import connection
from tools.dlq.actions import ACTIONS_TOPIC
from tools.dlq.topics import OPERATOR
from tools.servers import Servers

ENROLLED = "enrollment.participant-enrolled.v2"
PAIR_CREATED = "matching.pair-created.v2"
SURVEY_SUBMITTED = "feedback.survey-submitted.v1"  # nobody consumes it, so no dead letter comes from it


async def publish(servers: Servers, principal: str, topic: str) -> None:
    producer = AIOKafkaProducer(**connection(servers, principal), acks="all", request_timeout_ms=15000)
    try:  # a refused start still holds connections: stopped either way
        await producer.start()
        await producer.send_and_wait(topic, b"{}", key=b"acl-test")
    finally:
        await producer.stop()


async def read_one_batch(servers: Servers, principal: str, topic: str) -> None:
    consumer = AIOKafkaConsumer(topic, **connection(servers, principal), group_id=f"enterprise-acl-{uuid.uuid4().hex}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    try:
        await consumer.start()
        for _ in range(20):  # until the group has its partitions (or the broker refuses the topic)
            await consumer.getmany(timeout_ms=500)
            if consumer.assignment():
                return
    finally:
        await consumer.stop()
    raise AssertionError(f"{principal} was never assigned {topic}")


async def read_without_group(servers: Servers, principal: str, topic: str) -> None:
    """What tools/dlq does: partition 0 assigned by hand from its start, no consumer group."""
    consumer = AIOKafkaConsumer(**connection(servers, principal), group_id=None, enable_auto_commit=False,
                                request_timeout_ms=15000)
    try:
        await consumer.start()
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        await consumer.seek_to_beginning(partition)
        await consumer.getmany(partition, timeout_ms=1000)
        await consumer.end_offsets([partition])
    finally:
        await consumer.stop()


@pytest.fixture(autouse=True)
def _sasl_broker(servers: Servers):
    assert servers.kafka_protocol.startswith("SASL"), "these tests need the broker's SASL users and ACLs"


async def test_a_service_may_write_its_dead_letters_but_not_another_services_topic(servers: Servers):
    await publish(servers, "matching", dlq_topic("matching", ENROLLED))
    with pytest.raises(TopicAuthorizationFailedError):
        await publish(servers, "matching", ENROLLED)
    with pytest.raises(TopicAuthorizationFailedError):
        await publish(servers, "feedback", PAIR_CREATED)


async def test_the_enterprise_subscriber_reads_public_events_but_publishes_nothing_and_reads_no_dead_letter(
        servers: Servers):
    await read_one_batch(servers, "enterprise-subscriber", PAIR_CREATED)
    for topic in (PAIR_CREATED, dlq_topic("scheduling", PAIR_CREATED)):
        with pytest.raises(TopicAuthorizationFailedError):
            await publish(servers, "enterprise-subscriber", topic)
    with pytest.raises(TopicAuthorizationFailedError):
        await read_one_batch(servers, "enterprise-subscriber", dlq_topic("scheduling", PAIR_CREATED))
    with pytest.raises(TopicAuthorizationFailedError):  # the data keys are for the services only
        await read_one_batch(servers, "enterprise-subscriber", "enrollment.participant-key.v1")


async def test_a_wrong_password_is_refused(servers: Servers):
    wrong = Servers(servers.kafka_bootstrap_servers, servers.mongodb_url, servers.source, servers.oidc_issuer_url,
                    servers.kafka_protocol, servers.kafka_mechanism, {"matching": "not-the-password"})
    with pytest.raises(KafkaError):
        await asyncio.wait_for(publish(wrong, "matching", dlq_topic("matching", ENROLLED)), 30)


async def test_the_dead_letter_operator_reads_dead_letters_and_replays_only_to_where_they_came_from(
        servers: Servers):
    dead_letters = dlq_topic("matching", ENROLLED)
    await read_without_group(servers, OPERATOR, dead_letters)
    await read_without_group(servers, OPERATOR, ACTIONS_TOPIC)
    # Its writes (a replay to the source topic, the action record) are test_dlq_redrive.py's, through the CLI.
    for topic in (dead_letters, SURVEY_SUBMITTED):
        with pytest.raises(TopicAuthorizationFailedError):
            await publish(servers, OPERATOR, topic)
    with pytest.raises(TopicAuthorizationFailedError):
        await read_without_group(servers, OPERATOR, ENROLLED)
    with pytest.raises(GroupAuthorizationFailedError):
        await read_one_batch(servers, OPERATOR, dead_letters)
