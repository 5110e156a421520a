"""Which Kafka and MongoDB the tests and the main job use.

1. KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL when set;
2. else testcontainers, when a Docker engine answers a ping (the CLI alone is not enough);
3. else the project's own local Kafka and FerretDB (deploy/local/infra.sh), stopped afterwards
   if this process started them.
"""

import contextlib
import logging
import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INFRA = ROOT / "deploy" / "local" / "infra.sh"
KAFKA_IMAGE = "apache/kafka:3.9.1"  # docker-compose; the same Kafka version as deploy/local
# testcontainers' KafkaContainer drives Confluent's image scripts; Confluent Platform 7.9 ships Kafka 3.9.
TESTCONTAINERS_KAFKA_IMAGE = "confluentinc/cp-kafka:7.9.1"
MONGO_IMAGE = "mongo:7"
log = logging.getLogger(__name__)


class ServersUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Servers:
    kafka_bootstrap_servers: str
    mongodb_url: str
    source: str
    store_files: Path | None = None  # the local FerretDB's SQLite files (None: a store we cannot read raw)


def docker_engine_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def acquire_servers() -> Iterator[Servers]:
    kafka, mongo = os.getenv("KAFKA_BOOTSTRAP_SERVERS"), os.getenv("MONGODB_URL")
    if kafka and mongo:
        yield Servers(kafka, mongo, "environment")
    elif docker_engine_answers():
        with _containers() as (c_kafka, c_mongo):
            yield Servers(kafka or c_kafka, mongo or c_mongo, "testcontainers")
    else:
        with _local_infra() as (l_kafka, l_mongo, files):
            local_store = mongo is None or mongo == l_mongo
            yield Servers(kafka or l_kafka, mongo or l_mongo, "local", files if local_store else None)


@contextlib.contextmanager
def _containers() -> Iterator[tuple[str, str]]:
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.community.mongodb import MongoDbContainer

    with KafkaContainer(TESTCONTAINERS_KAFKA_IMAGE).with_kraft() as kafka, MongoDbContainer(MONGO_IMAGE) as mongo:
        yield kafka.get_bootstrap_server(), mongo.get_connection_url()


def _infra(*args: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["bash", str(INFRA), *args], cwd=ROOT, text=True, capture_output=True,
                            env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise ServersUnavailable(
            f"deploy/local/infra.sh {' '.join(args)} failed (exit {result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


@contextlib.contextmanager
def _local_infra() -> Iterator[tuple[str, str, Path]]:
    already_running = _infra("status", check=False).returncode == 0
    if not already_running:
        _infra("start")
    env = dict(
        line.removeprefix("export ").split("=", 1)
        for line in _infra("env").stdout.splitlines()
        if line.startswith("export ")
    )
    try:
        yield (env["KAFKA_BOOTSTRAP_SERVERS"].strip("'\""), env["MONGODB_URL"].strip("'\""),
               Path(env["BINOME_STORE_FILES"].strip("'\"")))
    finally:
        if not already_running:
            _infra("stop", check=False)


@contextlib.contextmanager
def throwaway_local_servers(kafka_port: int = 29992, mongo_port: int = 27999) -> Iterator[Servers]:
    """A fresh local Kafka and FerretDB of their own (ports, state), removed afterwards.

    For benchmarks: the thousands of events they publish must not wait, unconsumed, on a
    developer's broker for the next demo's services to wade through.
    """
    with tempfile.TemporaryDirectory(prefix="binome-bench-") as state:
        env = {"BINOME_KAFKA_PORT": str(kafka_port), "BINOME_MONGO_PORT": str(mongo_port),
               "BINOME_STATE": f"{state}/state", "BINOME_LOGS": f"{state}/logs"}
        _infra("start", env=env)
        try:
            yield Servers(f"127.0.0.1:{kafka_port}", f"mongodb://127.0.0.1:{mongo_port}/", "throwaway local")
        finally:
            _infra("stop", check=False, env=env)
