"""The shared consumer when the infrastructure fails: an outage is waited out (never dead-lettered, never
committed past); only a message bad in itself (headers, body, type, schema) reaches the dead-letter topic."""

import base64
import uuid

import pytest
from prometheus_client import CollectorRegistry
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from shared.contracts import ParticipantEnrolled, dlq_topic, topic_for
from shared.messaging.consumer import EventConsumer
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.messaging import FlakyInbox, RecordingBroker, RecordingConsumer, message

TOPIC = topic_for(ParticipantEnrolled)
OUTAGE = ServerSelectionTimeoutError("127.0.0.1:27117: connection refused")


class Setup:
    def __init__(self, inbox_failures: int = 0, transient_retry_s: float = 5.0) -> None:
        self.broker = RecordingBroker()
        self.inbox = FlakyInbox(AutoReconnect("store restarting"), inbox_failures)
        self.metrics = DeliveryMetrics.on(CollectorRegistry())
        self.consumer = EventConsumer("matching", self.broker, self.inbox, self.metrics, max_attempts=3, backoff_ms=0,
                                      transient_retry_s=transient_retry_s, transient_backoff_max_ms=20)
        self.kafka = RecordingConsumer()
        self.handled: list[uuid.UUID] = []
        self.failures_left = 0

        @self.consumer.handles(ParticipantEnrolled)
        async def handle(event: ParticipantEnrolled) -> None:
            if self.failures_left:
                self.failures_left -= 1
                raise OUTAGE
            self.handled.append(event.event_id)

    async def deliver(self, value: bytes | None, headers: list[tuple[str, bytes]] = ()) -> None:
        await self.consumer.deliver(message(TOPIC, value, headers, consumer=self.kafka))

    def dead(self) -> list[tuple[str, bytes, dict[str, str]]]:
        return [p for p in self.broker.published if p[0] == dlq_topic("matching", TOPIC)]


def enrolled() -> ParticipantEnrolled:
    return factories.participant_enrolled(uuid.uuid4(), "mentee")


async def test_a_store_outage_in_the_handler_is_waited_out_not_dead_lettered():
    setup = Setup()
    setup.failures_left = 5  # more than max_attempts: counted as an outage, not as the message's failures
    event = enrolled()
    await setup.deliver(event.model_dump_json().encode())
    assert setup.handled == [event.event_id] and setup.dead() == []
    assert event.event_id in setup.inbox.processed and setup.kafka.commits == 1
    assert setup.metrics.transient_failures.labels(TOPIC, "mongodb")._value.get() == 5
    assert setup.consumer.state.describe() == {"state": "flowing"}


@pytest.mark.parametrize("failures", [1, 2], ids=["inbox check fails", "inbox check and record fail"])
async def test_an_unreachable_inbox_never_loses_the_message(failures: int):
    setup = Setup(inbox_failures=failures)
    event = enrolled()
    await setup.deliver(event.model_dump_json().encode())
    assert event.event_id in setup.inbox.processed and setup.kafka.commits == 1 and setup.dead() == []


async def test_an_outage_longer_than_the_bound_rewinds_the_offset_and_commits_nothing():
    setup = Setup(transient_retry_s=0.3)
    setup.failures_left = 1000
    await setup.deliver(enrolled().model_dump_json().encode())
    assert setup.kafka.commits == 0 and setup.dead() == [] and setup.handled == []
    [(partition, offset)] = setup.kafka.seeks
    assert (partition.topic, partition.partition, offset) == (TOPIC, 1, 7), "read again from the same offset"
    assert setup.consumer.state.describe()["state"] == "waiting", "/health shows the wait until a delivery succeeds"
    assert setup.metrics.rewinds.labels(TOPIC)._value.get() == 1


async def test_a_dead_letter_publish_that_fails_is_retried_until_the_broker_is_back():
    setup = Setup()
    setup.broker.failures_left = 2
    await setup.deliver(b"{not json")
    assert len(setup.dead()) == 1 and setup.kafka.commits == 1


@pytest.mark.parametrize(("value", "headers", "reason"), [
    (b"{not json", [], "undecodable ParticipantEnrolled"),
    (b'{"event_type": "SomethingElse", "producer": "x"}', [], "undecodable ParticipantEnrolled"),
    (None, [], "undecodable ParticipantEnrolled: null value"),
    ("valid", [("trace", b"\xff\xfe binary")], "undecodable header trace: not UTF-8"),
], ids=["not JSON", "unknown type", "null value", "binary header on a valid event"])
async def test_a_message_bad_in_itself_goes_to_the_dead_letter_topic_with_its_address(value, headers, reason):
    setup = Setup()
    body = enrolled().model_dump_json().encode() if value == "valid" else value
    await setup.deliver(body, headers)
    [(_, dead_body, dead_headers)] = setup.dead()
    assert dead_body == (body or b"") and dead_headers["x-dlq-reason"].startswith(reason)
    assert (dead_headers["x-dlq-source-topic"], dead_headers["x-dlq-source-partition"],
            dead_headers["x-dlq-source-offset"]) == (TOPIC, "1", "7")
    for name, raw in headers:
        assert base64.b64decode(dead_headers[f"x-dlq-b64-{name}"]) == raw
    assert setup.handled == [] and setup.kafka.commits == 1
