"""Which servers the tests and the main job use: environment, then Docker, then the local build."""

import contextlib

import pytest

from tools import servers

LOCAL_ENV = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:19092", "MONGODB_URL": "mongodb://127.0.0.1:27117/",
             "OIDC_ISSUER_URL": "http://127.0.0.1:18080/realms/binome", "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
             "BINOME_KAFKA_USERS": "admin:a,enrollment:e", "BINOME_STORE_FILES": "/state/ferretdb/sqlite"}


@pytest.fixture
def calls(monkeypatch):
    seen: list[str] = []

    @contextlib.contextmanager
    def container_mongo():
        seen.append("testcontainers mongo")
        yield "mongodb://container"

    @contextlib.contextmanager
    def local(*names, env=None):
        seen.append("local " + " ".join(names))
        yield LOCAL_ENV

    monkeypatch.setattr(servers, "_container_mongo", container_mongo)
    monkeypatch.setattr(servers, "_local_infra", local)
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URL", "OIDC_ISSUER_URL", "BINOME_KAFKA_USERS",
                 "KAFKA_SECURITY_PROTOCOL"):
        monkeypatch.delenv(name, raising=False)
    return seen


def test_servers_given_in_the_environment_win_with_their_credentials(calls, monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9092")
    monkeypatch.setenv("MONGODB_URL", "mongodb://db:27017")
    monkeypatch.setenv("OIDC_ISSUER_URL", "https://login.example/realms/binome")
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("BINOME_KAFKA_USERS", "matching:secret")
    with servers.acquire_servers() as found:
        assert (found.kafka_bootstrap_servers, found.mongodb_url, found.oidc_issuer_url, found.source) == (
            "broker:9092", "mongodb://db:27017", "https://login.example/realms/binome", "environment")
        kafka = found.kafka_as("matching")
        assert (kafka.protocol, kafka.username, kafka.password) == ("SASL_SSL", "matching", "secret")
        with pytest.raises(servers.ServersUnavailable, match="feedback"):
            found.kafka_as("feedback")
    assert calls == []


def test_with_docker_mongodb_comes_from_a_container_and_kafka_and_keycloak_from_deploy_local(calls, monkeypatch):
    monkeypatch.setattr(servers, "docker_engine_answers", lambda: True)
    with servers.acquire_servers() as found:
        assert found.source == "local + testcontainers" and found.mongodb_url == "mongodb://container"
    monkeypatch.setattr(servers, "docker_engine_answers", lambda: False)
    with servers.acquire_servers() as found:
        assert found.source == "local" and found.kafka_bootstrap_servers == "127.0.0.1:19092"
        assert found.settings_for("enrollment")["kafka_sasl_password"] == "e"
        assert str(found.store_files) == "/state/ferretdb/sqlite"  # read raw by the erasure test
    assert calls == ["testcontainers mongo", "local kafka keycloak", "local kafka ferretdb keycloak"]


def test_a_single_variable_is_kept_and_the_other_servers_come_from_the_next_source(calls, monkeypatch):
    monkeypatch.setattr(servers, "docker_engine_answers", lambda: False)
    monkeypatch.setenv("MONGODB_URL", "mongodb://db:27017")
    with servers.acquire_servers() as found:
        assert (found.kafka_bootstrap_servers, found.mongodb_url) == ("127.0.0.1:19092", "mongodb://db:27017")
        assert found.store_files is None  # not our FerretDB: its files are not ours to read


def test_the_docker_cli_alone_does_not_count_as_an_engine(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    assert servers.docker_engine_answers() is False
