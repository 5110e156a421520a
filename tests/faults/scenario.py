"""One scenario: the flow, a fault injected half-way through the enrollments, then what must hold.

The fault runs beside the flow (the driver keeps sending and retrying meanwhile) and says when the
broken thing was back; the scenario then waits, with a generous deadline, for the fault-free run's
state, and measures how soon each service processed an event again.
"""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymongo import AsyncMongoClient

from tests.faults.cluster import Fleet, Infra
from tests.faults.flow import Flow, people
from tests.faults.observe import counter, dead_letters, first_processed_after, published_events, state_digest
from tools.identity import Identity
from tools.processes import SERVICES

DUPLICATES = "binome_duplicate_deliveries_total"


@dataclass
class Returned:
    """What a fault reports: when the broken thing was back, and which services must resume."""

    at: float
    services: tuple[str, ...] = tuple(SERVICES)
    at_by_service: dict[str, float] = field(default_factory=dict)  # when each restarted service was back
    poison: int = 0  # dead letters the fault expects (poison messages x consuming services)
    duplicates: int = 0  # absorbed by processes the fault started and stopped itself


@dataclass
class Env:
    infra: Infra
    fleet: Fleet
    store: AsyncMongoClient
    identity: Identity
    baseline: "Outcome | None" = None
    outcomes: list["Outcome"] = field(default_factory=list)


Fault = Callable[[Env, Flow], Awaitable[Returned]]


@dataclass
class Outcome:
    name: str
    acked: dict[str, int]
    retried: dict[str, int]
    digest: dict[str, Any]
    events: dict[str, dict[str, int]]
    dead_letters: int
    expected_dead_letters: int
    duplicates_absorbed: int
    recovery_s: dict[str, float | None]
    seconds: float
    phases_s: dict[str, float] = field(default_factory=dict)  # where the scenario's time went

    def like(self, reference: "Outcome") -> None:
        """Every acknowledged input has its effects, none twice, dead letters = poison, the reference's state."""
        assert self.acked == reference.acked
        assert self.digest == reference.digest, "the final state differs from the fault-free run's"
        distinct = {t: e["distinct"] for t, e in self.events.items()}
        assert distinct == {t: e["distinct"] for t, e in reference.events.items()}, "an event lost or doubled"
        assert self.dead_letters == self.expected_dead_letters

    def figures(self) -> dict[str, object]:
        return {"scenario": self.name, "acked inputs": self.acked,
                "retried sends": sum(self.retried.values()),
                "events": sum(e["distinct"] for e in self.events.values()),
                "republished": sum(e["records"] - e["distinct"] for e in self.events.values()),
                "duplicates absorbed": self.duplicates_absorbed, "dead letters": self.dead_letters,
                "recovery s": self.recovery_s, "duration s": round(self.seconds, 1), "phases s": self.phases_s}


async def run(env: Env, name: str, fault: Fault | None = None, settle_s: float = 900) -> Outcome:
    started = time.monotonic()
    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        phases[name] = round(time.monotonic() - started - sum(phases.values()), 1)

    kafka = env.infra.servers
    dlq_before = await dead_letters(kafka)
    starts_before = dict(env.fleet.starts)
    dup_before = {s: counter(env.fleet.url(s), DUPLICATES) for s in SERVICES}
    flow = Flow(env.fleet, env.store, env.identity)
    await flow.launch()
    everyone = people()
    await flow.enroll(everyone[: len(everyone) // 2])
    phase("launch, first half")

    async def rest_of_flow() -> None:
        await flow.enroll(everyone[len(everyone) // 2:])
        phase("second half")
        await flow.complete_first_sessions()
        phase("planned, completed")

    returned = await _beside(rest_of_flow(), fault(env, flow) if fault else None)
    phase("fault over")
    digest = await _settled(env, flow.programme_id, settle_s)
    phase("settled")
    recovery = {s: first_processed_after(_latest_log(env.fleet, s), returned.at_by_service.get(s, returned.at))
                for s in returned.services}
    duplicates = returned.duplicates + sum(counter(env.fleet.url(s), DUPLICATES)
                     - (dup_before[s] if env.fleet.starts[s] == starts_before[s] else 0) for s in SERVICES)
    events, letters = await published_events(kafka, flow.programme_id), await dead_letters(kafka) - dlq_before
    phase("read Kafka")
    outcome = Outcome(name, dict(flow.acked), dict(flow.retried), digest, events, letters, returned.poison,
                      int(duplicates), recovery, time.monotonic() - started, phases)
    env.outcomes.append(outcome)
    return outcome


async def _beside(flow: Coroutine[Any, Any, None], fault: Coroutine[Any, Any, Returned] | None) -> Returned:
    """The flow and its fault side by side. When either fails, the other is cancelled and the failure raised:
    a fault that failed with the gate closed would otherwise leave the flow waiting on it for ever, and a
    fault still running after its flow failed would act on the next scenario."""
    # The fault's task first: it runs first, so it closes the gate before the flow's next input passes it.
    tasks = [*([asyncio.create_task(fault)] if fault else []), asyncio.create_task(flow)]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            if task.exception() is not None:
                raise task.exception()
        if fault is None:
            return Returned(time.time(), ())
        return tasks[0].result()  # both are done when neither failed
    finally:
        for task in tasks:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


async def _settled(env: Env, programme_id: str, deadline_s: float) -> dict[str, Any]:
    """The fault-free run's state once reached and held for 3 s (a late duplicate effect would show);
    for the fault-free run itself, a state that no longer changes and has nothing left in any outbox."""
    deadline = time.monotonic() + deadline_s
    previous: dict[str, Any] | None = None
    while True:
        digest = await state_digest(env.store, env.fleet.prefix, programme_id)
        target = env.baseline.digest if env.baseline else previous
        if digest == target and digest["outbox_pending"] == 0 and _complete(digest):
            return digest
        if time.monotonic() > deadline:
            return digest  # the caller's comparison shows what differs
        previous = digest
        await asyncio.sleep(3)


def _complete(digest: dict[str, Any]) -> bool:
    from tests.faults.flow import PAIRS, SESSIONS

    def count(key: str) -> int:
        return digest.get(key, {}).get("documents", 0)

    return (count("feedback.planned_sessions") == PAIRS * SESSIONS and count("feedback.completed_sessions") == PAIRS
            and count("feedback.participants") == 2 * PAIRS and count("matching.pairs") == PAIRS)


def _latest_log(fleet: Fleet, service: str) -> Path:
    return fleet.log_dir / f"{service}.{fleet.starts[service]}.log"
