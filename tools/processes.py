"""Starts the four services as separate OS processes (uvicorn) and waits until each is healthy."""

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tools.consumer_groups import start_at_end_now
from tools.servers import ROOT, Servers

SERVICES = {"enrollment": 8001, "matching": 8002, "scheduling": 8003, "feedback": 8004}


def port_of(name: str) -> int:
    # An offset lets two checkouts run their end-to-end tests side by side on one machine.
    return SERVICES[name] + int(os.getenv("BINOME_SERVICE_PORT_OFFSET", "0"))


@dataclass(frozen=True)
class RunningService:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path


def service_env(servers: Servers, name: str, port: int, database_prefix: str) -> dict[str, str]:
    # Each service connects to Kafka as its own principal, whose ACLs allow only its own topics.
    own = {key.upper(): value for key, value in servers.settings_for(name).items()}
    return {
        **{k: v for k, v in os.environ.items() if k != "BINOME_KAFKA_USERS"},  # nobody else's passwords
        **own,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'services'}",
        "MONGODB_DATABASE_PREFIX": database_prefix,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "OUTBOX_SWEEP_INTERVAL_S": "10",
    }


@contextlib.contextmanager
def running_services(
    servers: Servers, log_dir: Path, database_prefix: str = "binome_", timeout_s: float = 240.0,
    names: tuple[str, ...] = tuple(SERVICES), extra_env: dict[str, str] | None = None,
    module: str = "shared.serve",
) -> Iterator[dict[str, RunningService]]:
    """`module` runs a service as `python -m <module> <name>` (a benchmark may wrap shared.serve). The
    databases under `database_prefix` are new, so the services' groups start at the end of their topics."""
    log_dir.mkdir(parents=True, exist_ok=True)
    start_at_end_now(servers, names)
    started: dict[str, RunningService] = {}
    try:
        for name in names:
            port = port_of(name)
            log_path = log_dir / f"{name}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", module, name],
                cwd=ROOT,
                env={**service_env(servers, name, port, database_prefix), **(extra_env or {})},
                stdout=log_path.open("wb"),
                stderr=subprocess.STDOUT,
            )
            started[name] = RunningService(name, f"http://127.0.0.1:{port}", process, log_path)
        _wait_healthy(started, timeout_s)
        yield started
    finally:
        for service in started.values():
            service.process.terminate()
        for service in started.values():
            try:
                service.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                service.process.kill()


def _wait_healthy(services: dict[str, RunningService], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    pending = set(services)
    while pending and time.monotonic() < deadline:
        for name in sorted(pending):
            service = services[name]
            if service.process.poll() is not None:
                raise RuntimeError(f"{name} exited with {service.process.returncode}:\n{_tail(service.log_path)}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{service.url}/health", timeout=2).status_code == 200:
                    pending.discard(name)
        time.sleep(0.3)
    if pending:
        logs = "\n".join(f"--- {n}\n{_tail(services[n].log_path)}" for n in sorted(pending))
        raise RuntimeError(f"not healthy after {timeout_s:.0f}s: {sorted(pending)}\n{logs}")


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
