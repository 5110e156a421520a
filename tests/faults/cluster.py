"""What the fault tier breaks: its own Kafka (SASL, per-service principals) and FerretDB
(deploy/local/infra.sh on a state folder of its own, so killing them disturbs no other tier) and the
four services as OS processes. Tokens come from the shared identity provider (Keycloak), never killed."""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tools.consumer_groups import start_at_end_now
from tools.processes import SERVICES, port_of, service_env
from tools.servers import INFRA, ROOT, Servers, _exports, _with_security

SHIFT = int(os.getenv("BINOME_SERVICE_PORT_OFFSET", "0"))
# Servers of the fault tier's own: their defaults (19142, 27167; between the shared servers' shifted
# ports) plus the checkout's port shift, like every server.
KAFKA_PORT = int(os.getenv("BINOME_FAULTS_KAFKA_PORT", str(19142 + SHIFT)))
MONGO_PORT = int(os.getenv("BINOME_FAULTS_MONGO_PORT", str(27167 + SHIFT)))
PORTS = {"kafka": KAFKA_PORT, "ferretdb": MONGO_PORT}
SERVICE_SETTINGS = {
    # The relay is woken by every commit; its sweep of the outbox markers finds what a killed process
    # left behind, and reads only the markers, so it may run every second.
    "OUTBOX_SWEEP_INTERVAL_S": "1",
    "TICK_INTERVAL_SECONDS": "0",  # no reminders from the wall clock: every run must reach the same state
    "CONSUMER_TRANSIENT_RETRY_S": "10",
    "LOG_LEVEL": "INFO",
}


@dataclass
class Infra:
    """The tier's Kafka and FerretDB; `kill` is SIGKILL, `start` brings one back on the same data."""

    state: Path
    issuer_url: str
    servers: Servers = field(init=False)

    def run(self, *args: str) -> str:
        env = {**os.environ, "BINOME_KAFKA_PORT": str(KAFKA_PORT), "BINOME_MONGO_PORT": str(MONGO_PORT),
               "BINOME_STATE": str(self.state / "state"), "BINOME_LOGS": str(self.state / "logs")}
        result = subprocess.run(["bash", str(INFRA), *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"infra.sh {' '.join(args)}: {result.stdout[-2000:]}{result.stderr[-2000:]}")
        return result.stdout

    def kill(self, server: str) -> None:
        self.run("kill", server)

    def start(self, server: str | None = None) -> None:
        self.run("start", *([server] if server else OWN))


OWN = ("kafka", "ferretdb")


@contextlib.contextmanager
def fault_infra(issuer_url: str) -> Iterator[Infra]:
    with tempfile.TemporaryDirectory(prefix="binome-faults-") as folder:
        infra = Infra(Path(folder), issuer_url)
        infra.start()
        try:
            found = {**_exports(infra.run("env", *OWN)), "OIDC_ISSUER_URL": issuer_url}
            infra.servers = _with_security(found["KAFKA_BOOTSTRAP_SERVERS"], found["MONGODB_URL"], "fault tier", found)
            yield infra
        finally:
            infra.run("stop", *OWN)


@dataclass
class Fleet:
    """The four services as processes; each (re)start gets a log file of its own."""

    servers: Servers
    log_dir: Path
    prefix: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    starts: dict[str, int] = field(default_factory=dict)

    def url(self, name: str) -> str:
        # 20 above the other tiers' services (`make test` runs this tier beside them), a second instance
        # 50 above that: checkouts' port shifts are multiples of 100.
        return f"http://127.0.0.1:{port_of(name.split('#')[0]) + 20 + (50 if '#' in name else 0)}"

    def start(self, name: str, **extra: str) -> None:
        """`name` is a service, or `service#2` for a second instance (its own port, dynamic membership)."""
        service = name.split("#")[0]
        self.starts[name] = self.starts.get(name, 0) + 1
        log = self.log_dir / f"{name.replace('#', '-')}.{self.starts[name]}.log"
        port = int(self.url(name).rsplit(":", 1)[1])
        env = {**service_env(self.servers, service, port, self.prefix), **SERVICE_SETTINGS, **extra}
        self.processes[name] = subprocess.Popen([sys.executable, "-m", "shared.serve", service], cwd=ROOT, env=env,
                                                stdout=log.open("wb"), stderr=subprocess.STDOUT)

    def signal(self, name: str, sig: signal.Signals, timeout: float = 60) -> None:
        process = self.processes[name]
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        del self.processes[name]

    def wait_healthy(self, *names: str, timeout: float = 300) -> None:  # a busy machine starts slowly
        deadline = time.monotonic() + timeout
        pending = set(names or self.processes)
        last: dict[str, str] = {}  # each one's last answer, so a failure names the probe that was down
        while pending:
            for name in sorted(pending):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited: see {self.log_dir}")
                try:
                    answer = httpx.get(f"{self.url(name)}/health", timeout=3)
                except httpx.HTTPError as exc:
                    last[name] = repr(exc)
                    continue
                last[name] = f"{answer.status_code} {answer.text[:300]}"
                if answer.status_code == 200:
                    pending.discard(name)
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not healthy within {timeout:.0f} s: {sorted(pending)}, last answers "
                                   f"{ {n: last.get(n) for n in sorted(pending)} } (logs: {self.log_dir})")
            time.sleep(0.3)

    def running(self) -> dict[str, str]:
        """Each started service: `up`, or how it ended; one that was stopped and not started again is absent."""
        return {name: "up" if (rc := process.poll()) is None else f"exited {rc}"
                for name, process in sorted(self.processes.items())}

    def restore(self) -> list[str]:
        """After a scenario, also a failed one: the four services up again, no extra instance left. The
        scenarios share the fleet, so one that failed half-way must not leave the next one a service short."""
        for name in [n for n in self.processes if "#" in n]:
            self.signal(name, signal.SIGTERM, timeout=30)
        started = []
        for name in SERVICES:
            if name in self.processes and self.processes[name].poll() is None:
                continue
            self.processes.pop(name, None)
            self.start(name)
            started.append(name)
        if started:
            self.wait_healthy(*started)
        return started

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.signal(name, signal.SIGTERM, timeout=30)


@contextlib.contextmanager
def fleet(servers: Servers, log_dir: Path, prefix: str) -> Iterator[Fleet]:
    log_dir.mkdir(parents=True, exist_ok=True)
    running = Fleet(servers, log_dir, prefix)
    start_at_end_now(servers, SERVICES)  # a scenario's databases are new: an earlier one's records are not its own
    try:
        for name in SERVICES:
            running.start(name)
        running.wait_healthy(*SERVICES)
        yield running
    finally:
        running.stop_all()
