"""The Kafka grants derived from the code (tools/kafka_access.py) give each principal exactly its own
topics: checked here without a broker; tests/integration/test_kafka_acls.py checks the broker obeys."""

from shared.contracts import TOPICS, dlq_topic
from shared.contracts.topics import SERVICES_ONLY
from tools.dlq.actions import ACTIONS_TOPIC
from tools.kafka_access import OPERATOR, SERVICES, SUBSCRIBER, _app, grants

PUBLIC = set(TOPICS.values())


def _of(principal: str, operation: str) -> set[str]:
    return {g.name for g in grants() if g.principal == principal and g.operation == operation and g.resource == "topic"}


def test_a_service_writes_only_the_events_it_produces_and_its_own_dead_letters():
    for service in SERVICES:
        own = {t for cls, t in TOPICS.items() if cls.producer_service == service}
        written = _of(service, "write")
        assert written & PUBLIC == own, service
        assert all(t.startswith(f"dlq.{service}.") for t in written - PUBLIC), service


def test_a_service_reads_only_public_events():
    for service in SERVICES:
        assert _of(service, "read") <= PUBLIC, service


def test_the_enterprise_subscriber_reads_every_public_event_and_writes_nothing():
    assert _of(SUBSCRIBER, "read") == PUBLIC - SERVICES_ONLY
    assert "enrollment.participant-key.v1" in SERVICES_ONLY, "data keys are for the services only"
    assert _of(SUBSCRIBER, "write") == _of(SUBSCRIBER, "create") == set()
    assert not any(t.startswith("dlq.") for t in _of(SUBSCRIBER, "describe"))
    assert dlq_topic("matching", "enrollment.participant-enrolled.v2") in _of("matching", "write")


def test_the_dead_letter_operator_reads_dead_letters_and_writes_only_where_they_came_from():
    consumed = {(service, t) for service in SERVICES for t in _app(service).state.consumes}
    dead_letters = {dlq_topic(service, t) for service, t in consumed}
    assert _of(OPERATOR, "read") == dead_letters | {ACTIONS_TOPIC}
    assert _of(OPERATOR, "write") == {t for _, t in consumed} | {ACTIONS_TOPIC}, "replays go to the source topic"
    assert not _of(OPERATOR, "write") & dead_letters, "it cannot forge dead letters"
    assert _of(OPERATOR, "create") == set()
    assert not [g for g in grants() if g.principal == OPERATOR and g.resource == "group"], "reads without a group"
