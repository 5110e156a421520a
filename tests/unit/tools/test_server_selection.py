"""Which servers the tests and the main job use: environment, then Docker, then the local build."""

import contextlib
from pathlib import Path

import pytest

from tools import servers


@pytest.fixture
def calls(monkeypatch):
    seen: list[str] = []

    @contextlib.contextmanager
    def containers():
        seen.append("testcontainers")
        yield "container-kafka:9093", "mongodb://container"

    @contextlib.contextmanager
    def local():
        seen.append("local")
        yield "127.0.0.1:19092", "mongodb://127.0.0.1:27117/", Path("/state/ferretdb/sqlite")

    monkeypatch.setattr(servers, "_containers", containers)
    monkeypatch.setattr(servers, "_local_infra", local)
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("MONGODB_URL", raising=False)
    return seen


def test_servers_given_in_the_environment_win(calls, monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9092")
    monkeypatch.setenv("MONGODB_URL", "mongodb://db:27017")
    with servers.acquire_servers() as found:
        assert (found.kafka_bootstrap_servers, found.mongodb_url, found.source) == (
            "broker:9092", "mongodb://db:27017", "environment")
    assert calls == []


def test_testcontainers_are_used_only_when_a_docker_engine_answers(calls, monkeypatch):
    monkeypatch.setattr(servers, "docker_engine_answers", lambda: True)
    with servers.acquire_servers() as found:
        assert found.source == "testcontainers"
    monkeypatch.setattr(servers, "docker_engine_answers", lambda: False)
    with servers.acquire_servers() as found:
        assert found.source == "local" and found.kafka_bootstrap_servers == "127.0.0.1:19092"
        assert found.store_files == Path("/state/ferretdb/sqlite")  # read raw by the erasure test
    assert calls == ["testcontainers", "local"]


def test_a_single_variable_is_kept_and_the_other_server_comes_from_the_next_source(calls, monkeypatch):
    monkeypatch.setattr(servers, "docker_engine_answers", lambda: False)
    monkeypatch.setenv("MONGODB_URL", "mongodb://db:27017")
    with servers.acquire_servers() as found:
        assert (found.kafka_bootstrap_servers, found.mongodb_url) == ("127.0.0.1:19092", "mongodb://db:27017")
        assert found.store_files is None  # not our FerretDB: its files are not ours to read


def test_the_docker_cli_alone_does_not_count_as_an_engine(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    assert servers.docker_engine_answers() is False
