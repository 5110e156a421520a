"""Which Kafka, MongoDB and identity provider the tests and the main job use.

1. KAFKA_BOOTSTRAP_SERVERS, MONGODB_URL and OIDC_ISSUER_URL when all are set (Kafka's credentials in
   KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM and BINOME_KAFKA_USERS=`name:password,...` for
   `admin`, each service and `enterprise-subscriber`);
2. else MongoDB from testcontainers when a Docker engine answers a ping (the CLI alone is not
   enough), and Kafka and Keycloak from deploy/local: they carry the project's SASL users, ACLs and
   realm, which plain images do not;
3. else all of them from deploy/local (infra.sh), stopped afterwards if this process started them
   (unless BINOME_KEEP_SERVERS=1: `make test` starts them once for its two pytest runs and stops them).
"""

import contextlib
import dataclasses
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shared.messaging.kafka_security import KafkaCredentials

ROOT = Path(__file__).resolve().parents[1]
INFRA = ROOT / "deploy" / "local" / "infra.sh"
KAFKA_IMAGE = "apache/kafka:3.9.1"  # docker-compose; the same Kafka version as deploy/local
KEYCLOAK_IMAGE = "quay.io/keycloak/keycloak:26.4.7"  # docker-compose; the same version as deploy/local
MONGO_IMAGE = "mongo:7"
log = logging.getLogger(__name__)


class ServersUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Servers:
    kafka_bootstrap_servers: str
    mongodb_url: str
    source: str
    oidc_issuer_url: str = ""
    kafka_protocol: str = "PLAINTEXT"
    kafka_mechanism: str = "SCRAM-SHA-512"
    kafka_users: dict[str, str] = field(default_factory=dict, repr=False)
    store_files: Path | None = None  # the local FerretDB's SQLite files (None: a store we cannot read raw)

    def kafka_as(self, principal: str) -> KafkaCredentials:
        """How `principal` (admin, a service, enterprise-subscriber) connects to this Kafka."""
        if self.kafka_protocol.startswith("SASL") and principal not in self.kafka_users:
            raise ServersUnavailable(f"no Kafka password for {principal!r} (BINOME_KAFKA_USERS)")
        return KafkaCredentials(self.kafka_protocol, self.kafka_mechanism, principal,
                                self.kafka_users.get(principal, ""))

    def settings_for(self, principal: str) -> dict[str, str]:
        """A service's settings for these servers, connecting to Kafka as `principal`."""
        kafka = self.kafka_as(principal)
        return {"kafka_bootstrap_servers": self.kafka_bootstrap_servers, "mongodb_url": self.mongodb_url,
                "oidc_issuer_url": self.oidc_issuer_url, "kafka_security_protocol": kafka.protocol,
                "kafka_sasl_mechanism": kafka.mechanism, "kafka_sasl_username": kafka.username,
                "kafka_sasl_password": kafka.password}


def _with_security(kafka: str, mongo: str, source: str, env: dict[str, str]) -> Servers:
    users = dict(i.split(":", 1) for i in env.get("BINOME_KAFKA_USERS", "").strip("'\"").split(",") if ":" in i)
    return Servers(kafka, mongo, source, env.get("OIDC_ISSUER_URL", "").strip("'\""),
                   env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"), env.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
                   users)


def docker_engine_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def acquire_servers() -> Iterator[Servers]:
    kafka, mongo, issuer = (os.getenv(n) for n in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URL", "OIDC_ISSUER_URL"))
    if kafka and mongo and issuer:
        yield _with_security(kafka, mongo, "environment", dict(os.environ))
    elif docker_engine_answers():
        with _container_mongo() as c_mongo, _local_infra("kafka", "keycloak") as env:
            yield _with_security(env["KAFKA_BOOTSTRAP_SERVERS"], mongo or c_mongo, "local + testcontainers", env)
    else:
        with _local_infra("kafka", "ferretdb", "keycloak") as env:
            found = _with_security(env["KAFKA_BOOTSTRAP_SERVERS"], mongo or env["MONGODB_URL"], "local", env)
            ours = mongo in (None, "", env["MONGODB_URL"]) and env.get("BINOME_STORE_FILES")
            yield dataclasses.replace(found, store_files=Path(env["BINOME_STORE_FILES"].strip("'\"")) if ours else None)


@contextlib.contextmanager
def _container_mongo() -> Iterator[str]:
    from testcontainers.community.mongodb import MongoDbContainer

    with MongoDbContainer(MONGO_IMAGE) as mongo:
        yield mongo.get_connection_url()


def _infra(*args: str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["bash", str(INFRA), *args], cwd=ROOT, text=True, capture_output=True,
                            env={**os.environ, **(env or {})})
    if check and result.returncode != 0:
        raise ServersUnavailable(
            f"deploy/local/infra.sh {' '.join(args)} failed (exit {result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def _exports(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        for item in line.removeprefix("export ").split(" ") if line.startswith("export ") else []:
            name, _, value = item.partition("=")
            found[name] = value.strip("'\"")
    return found


@contextlib.contextmanager
def _local_infra(*names: str, env: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    already_running = _infra("status", *names, check=False, env=env).returncode == 0
    if not already_running:
        _infra("start", *names, env=env)  # waits for a start under way elsewhere (infra.sh's lock)
    try:
        yield _exports(_infra("env", *names, env=env).stdout)
    finally:
        if not already_running and os.getenv("BINOME_KEEP_SERVERS") != "1":
            _infra("stop", *names, check=False, env=env)


@contextlib.contextmanager
def throwaway_local_servers(kafka_port: int | None = None, mongo_port: int | None = None,
                            keycloak_port: int | None = None) -> Iterator[Servers]:
    """A fresh local Kafka, FerretDB and Keycloak of their own (ports, state), removed afterwards.

    For benchmarks: the thousands of events they publish must not wait, unconsumed, on a
    developer's broker for the next demo's services to wade through. Ports default to 29992, 27999
    and 28090, shifted by BINOME_SERVICE_PORT_OFFSET like the services'.
    """
    shift = int(os.getenv("BINOME_SERVICE_PORT_OFFSET", "0"))
    ports = {"BINOME_KAFKA_PORT": kafka_port or 29992 + shift, "BINOME_MONGO_PORT": mongo_port or 27999 + shift,
             "BINOME_KEYCLOAK_PORT": keycloak_port or 28090 + shift}
    with throwaway_infra(LOCAL_SET, {k: str(v) for k, v in ports.items()}) as env:
        yield infra_servers(env)


LOCAL_SET = ("kafka", "ferretdb", "keycloak")


def infra_servers(env: dict[str, str]) -> Servers:
    """The Servers of deploy/local's Kafka, FerretDB and Keycloak started with `env` (ports, state)."""
    found = _exports(_infra("env", *LOCAL_SET, env=env).stdout)
    return _with_security(found["KAFKA_BOOTSTRAP_SERVERS"], found["MONGODB_URL"], "throwaway local", found)


def infra_pid(name: str, env: dict[str, str]) -> int:
    """The process id of deploy/local's server `name` started with `env` (to read its CPU time)."""
    return int(_infra("pid", name, env=env).stdout.split()[0])


@contextlib.contextmanager
def throwaway_infra(names: tuple[str, ...], env: dict[str, str], logs: Path | None = None,
                    keep_logs: bool = False) -> Iterator[dict[str, str]]:
    """Any of deploy/local's servers, on a state folder of their own, stopped and removed afterwards.

    Their logs (Kafka's, FerretDB's, PostgreSQL's...) go to `logs` (default: a folder of its own under
    .local/logs), named on stderr at the start: removed after a run that succeeds unless `keep_logs`,
    kept after one that fails (a stall's goroutine dump, a crash's last lines) or is killed.
    """
    logs = logs or ROOT / ".local" / "logs" / f"servers-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}"
    print(f"servers' logs: {logs}", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="binome-bench-") as state:
        os.chmod(state, 0o755)  # PostgreSQL runs as its own user: it must reach its data folder
        env = {**env, "BINOME_STATE": f"{state}/state", "BINOME_LOGS": str(logs)}
        failed = True
        try:  # a server that started before another failed is stopped too
            _infra("start", *names, env=env)
            yield env
            failed = False
        finally:
            _infra("stop", *names, check=False, env=env)
            if failed:
                print(f"the run failed: servers' logs kept in {logs}", file=sys.stderr, flush=True)
            elif not keep_logs:
                shutil.rmtree(logs, ignore_errors=True)
