"""docker-compose.yml cannot run here (no Docker engine), so it is checked against the code."""

import importlib
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from tools.contracts import SERVICES
from tools.dlq.actions import ACTIONS_TOPIC
from tools.kafka_access import PRINCIPALS
from tools.kafka_access import catalogue as kafka_topics
from tools.processes import SERVICES as LOCAL_PORTS
from tools.servers import KAFKA_IMAGE, KEYCLOAK_IMAGE, MONGO_IMAGE

ROOT = Path(__file__).resolve().parents[2]


@cache
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@cache
def app(service: str):
    config = importlib.import_module(f"{service}.config")
    return config.Settings(), importlib.import_module(f"{service}.entrypoints.app").create_app(config.Settings())


def test_compose_runs_kafka_mongo_keycloak_the_four_services_prometheus_and_grafana():
    assert set(compose()["services"]) == {"kafka", "kafka-access", "mongo", "keycloak", "prometheus", "grafana",
                                          *SERVICES}


def test_compose_kafka_is_the_same_version_as_the_local_broker():
    pom = (ROOT / "deploy" / "local" / "kafka" / "pom.xml").read_text()
    local_version = re.search(r"<kafka.version>([^<]+)</kafka.version>", pom).group(1)
    assert compose()["services"]["kafka"]["image"] == KAFKA_IMAGE == f"apache/kafka:{local_version}"
    assert compose()["services"]["mongo"]["image"] == MONGO_IMAGE
    env = compose()["services"]["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller", "KRaft, no ZooKeeper"
    assert env["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    jaas = env["KAFKA_LISTENER_NAME_SASL__PLAINTEXT_PLAIN_SASL_JAAS_CONFIG"]
    assert all(f'user_{p}="' in jaas for p in PRINCIPALS), "a PLAIN user for every principal"


def test_compose_and_deploy_local_run_the_same_keycloak_with_the_same_realm():
    script = (ROOT / "deploy" / "local" / "servers" / "keycloak.sh").read_text()
    version = re.search(r"^KEYCLOAK_VERSION=(\S+)$", script, re.M).group(1)
    keycloak = compose()["services"]["keycloak"]
    assert keycloak["image"] == KEYCLOAK_IMAGE == f"quay.io/keycloak/keycloak:{version}"
    assert "./deploy/keycloak/binome-realm.json:/opt/keycloak/data/import/binome-realm.json:ro" in keycloak["volumes"]
    assert "--import-realm" in keycloak["command"]


def test_the_local_broker_has_a_principal_for_each_service_and_the_subscriber():
    script = (ROOT / "deploy" / "local" / "servers" / "kafka.sh").read_text()
    assert re.search(r'^KAFKA_PRINCIPALS="([^"]+)"$', script, re.M).group(1).split() == list(PRINCIPALS)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_container_matches_its_settings_port_and_dockerfile(service):
    settings, _ = app(service)
    spec = compose()["services"][service]
    env = spec["environment"]
    known = {name.upper() for name in type(settings).model_fields}
    assert set(env) <= known, f"unknown variables {set(env) - known}"
    assert {"KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URL", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD",
            "OIDC_ISSUER_URL"} <= set(env)
    assert env["KAFKA_SASL_USERNAME"] == service, "each service is its own Kafka principal"
    assert int(env["HTTP_PORT"]) == settings.http_port == LOCAL_PORTS[service]
    assert spec["ports"] == [f"{settings.http_port}:{settings.http_port}"]
    dockerfile = (ROOT / spec["build"]["dockerfile"]).read_text()
    assert f'"shared.serve", "{service}"' in dockerfile and f"HTTP_PORT={settings.http_port}" in dockerfile
    assert spec["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert spec["depends_on"]["kafka-access"]["condition"] == "service_completed_successfully"


def test_prometheus_scrapes_every_service_on_its_port():
    config = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    targets = {t for job in config["scrape_configs"] for sc in job["static_configs"] for t in sc["targets"]}
    assert targets == {f"{s}:{app(s)[0].http_port}" for s in SERVICES}


def test_the_topic_catalogue_lists_exactly_the_topics_the_services_use():
    catalogue = yaml.safe_load((ROOT / "deploy" / "kafka" / "topics.yaml").read_text())
    used = {topic for s in SERVICES for topic in app(s)[1].state.topics}
    assert set(catalogue["topics"]) | set(catalogue["dead_letter_topics"]) == used
    assert used | set(catalogue["operations_topics"]) == set(kafka_topics()), "what kafka_access creates"
    assert catalogue["operations_topics"] == [ACTIONS_TOPIC]
    assert all(t.startswith("dlq.") for t in catalogue["dead_letter_topics"])


def test_every_topic_has_the_deliberate_retention_the_services_create_it_with():
    from shared.contracts.topics import topic_config

    catalogue = yaml.safe_load((ROOT / "deploy" / "kafka" / "topics.yaml").read_text())
    for topic, config in {**catalogue["topics"], **catalogue["dead_letter_topics"]}.items():
        assert {k: str(v) for k, v in config.items()} == topic_config(topic), topic
    key_topic = catalogue["topics"]["enrollment.participant-key.v1"]
    assert key_topic["cleanup.policy"] == "compact", "a destroyed key must be compacted away"


def test_every_service_that_reads_sealed_attributes_also_receives_the_data_keys():
    from shared.contracts import PairCreated, ParticipantEnrolled, ParticipantKey, topic_for

    sealed = {topic_for(ParticipantEnrolled), topic_for(PairCreated)}
    for service in SERVICES:
        consumed = set(app(service)[1].state.runtime.consumer.topics)
        if consumed & sealed:
            assert topic_for(ParticipantKey) in consumed, f"{service} could never open what it consumes"
