"""What other systems rely on cannot change by accident: event schemas, topics, HTTP APIs."""

import json
import re

import pytest

from shared.contracts import EVENTS, TOPICS, IntegrationEvent, dlq_topic
from tools.contracts import EVENT_SCHEMAS, OPENAPI, SERVICES, dump, event_schemas, openapi

HOW_TO_UPDATE = "a deliberate contract change: run `uv run python -m tools.contracts` and commit docs/contracts"


@pytest.mark.parametrize("topic", sorted(TOPICS.values()))
def test_each_event_schema_matches_its_published_snapshot(topic):
    path = EVENT_SCHEMAS / f"{topic}.json"
    assert path.exists(), HOW_TO_UPDATE
    assert dump(event_schemas()[topic]) == path.read_text(), HOW_TO_UPDATE


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_openapi_matches_the_document_in_the_repo(service):
    assert dump(openapi(service)) == (OPENAPI / f"{service}.json").read_text(), HOW_TO_UPDATE


def test_no_snapshot_is_left_for_an_event_that_no_longer_exists():
    assert {p.stem for p in EVENT_SCHEMAS.glob("*.json")} == set(TOPICS.values())


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__name__)
def test_every_event_has_one_topic_named_producer_event_major(event: type[IntegrationEvent]):
    kebab = re.sub(r"(?<!^)(?=[A-Z])", "-", event.__name__).lower()
    assert TOPICS[event] == f"{event.producer_service}.{kebab}.v{event.major_version}"
    fields = event.model_fields
    assert fields["producer"].default == event.producer_service
    assert fields["event_type"].default == event.__name__


def test_the_envelope_carries_the_agreed_metadata_and_ignores_unknown_fields():
    envelope = {"event_id", "event_type", "schema_version", "occurred_at", "producer", "correlation_id",
                "causation_id"}
    assert envelope <= set(IntegrationEvent.model_fields)
    from tests.factories import programme_launched

    original = programme_launched()
    newer = json.loads(original.model_dump_json()) | {"field_added_by_a_newer_producer": 1}
    assert type(original).model_validate(newer) == original
    assert IntegrationEvent.model_config["extra"] == "ignore" and IntegrationEvent.model_config["frozen"]


def test_dead_letter_topics_are_named_after_consumer_and_source():
    source = "enrollment.participant-enrolled.v1"
    assert dlq_topic("matching", source) == f"dlq.matching.{source}"


def test_the_readme_lists_every_event_with_its_topic():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for event, topic in TOPICS.items():
        assert f"| {event.__name__} | `{topic}` |" in readme, f"README does not list {event.__name__}"
