"""Servers that only some tests need (Prometheus, Jaeger): fetched, started and stopped on demand
through deploy/local/infra.sh, like Kafka and FerretDB, and never left running by a run that
started them."""

import contextlib
from collections.abc import Iterator

from tools.servers import _infra


def server_env(name: str, env: dict[str, str] | None = None) -> dict[str, str]:
    """The `export` lines of `infra.sh env NAME`, as a dict (builds the server first if needed)."""
    _infra("fetch", name, env=env)
    return dict(
        line.removeprefix("export ").split("=", 1)
        for line in _infra("env", name, env=env).stdout.splitlines()
        if line.startswith("export ")
    )


@contextlib.contextmanager
def on_demand(name: str, env: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """Starts the server unless it runs; stops it afterwards only if this call started it."""
    already_running = _infra("status", name, check=False, env=env).returncode == 0
    if not already_running:
        _infra("start", name, env=env)
    try:
        yield server_env(name, env)
    finally:
        if not already_running:
            _infra("stop", name, check=False, env=env)
