"""The fault tier's servers and services, started once for the tier, and the fault-free reference run.

Every scenario drives its own programme through the same running services, so the tier pays for one
start of Kafka, FerretDB and the four services; the fault-free run is the state every scenario must
reach. Each scenario's figures are printed at the end of the run and kept in the log folder.
"""

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from pymongo import AsyncMongoClient

from tests.faults import scenario
from tests.faults.cluster import fault_infra, fleet
from tools.identity import Identity
from tools.servers import ROOT, Servers

FIGURES: list[dict[str, object]] = []


@pytest.fixture(scope="session")
async def env(servers: Servers, run_id: str) -> AsyncIterator[scenario.Env]:
    """`servers` (the shared ones) only lends its identity provider: Kafka and the store are the tier's own."""
    log_dir = ROOT / ".local" / "logs" / f"faults-{run_id}"
    with fault_infra(servers.oidc_issuer_url) as infra, fleet(infra.servers, log_dir, f"faults_{run_id}_") as running:
        store = AsyncMongoClient(infra.servers.mongodb_url, tz_aware=True)
        env = scenario.Env(infra, running, store, Identity(servers.oidc_issuer_url))
        env.baseline = await scenario.run(env, "fault-free")
        try:
            yield env
        finally:
            FIGURES[:] = [o.figures() for o in env.outcomes]
            (log_dir / "figures.json").write_text(json.dumps(FIGURES, indent=1))
            await store.close()


@pytest.fixture(autouse=True)
async def fleet_restored(env: scenario.Env) -> AsyncIterator[None]:
    yield
    started = await asyncio.to_thread(env.fleet.restore)
    if started:  # only after a scenario that failed half-way: a passing one restarts what it stops
        print(f"fault tier: restarted {started} after the scenario")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("fault tier figures")
        for figures in FIGURES:
            terminalreporter.write_line(json.dumps(figures))
