"""The operational contract every service shares: liveness, readiness, /health and /metrics.

- `/health/live`: the process answers. An orchestrator restarts the service only when this fails;
  waiting for the broker or the store is no reason to restart (it resumes by itself once they are back).
- `/health/ready`: the store answers, so reads are served and writes are made durable (their events
  wait in the outbox while the broker is down). Send traffic only when this is 200.
- `/health`: everything — broker, store, and the consumer not held up by an outage; 503 otherwise.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pydantic import BaseModel

Probe = Callable[[], Awaitable[bool]]
Details = Callable[[], dict[str, object]]


class Health(BaseModel):
    status: Literal["up", "down"]
    # "up"/"down" per dependency; "consumer": the consumer's state (flowing, or waiting for what).
    checks: dict[str, Literal["up", "down"] | dict[str, Any]]


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    checks: dict[str, Literal["up", "down"]]


class Liveness(BaseModel):
    model_config = {"extra": "allow"}  # the consumer's state rides along
    status: Literal["alive"]


_DOWN: dict[int | str, dict[str, Any]] = {
    503: {"model": Health, "description": "Something is down: the body's `checks` name what"}}


async def answers(probe: Probe, timeout: float) -> bool:
    """Whether the probe says yes within `timeout`. The probe itself is never cancelled, only no longer
    waited for: a pymongo operation cancelled while it waits for a server or a pooled connection can
    leave the client's internal lock released under its holder on Python 3.11 (seen after a store
    outage: "cannot wait on un-acquired lock", then a service whose store calls never returned).
    The probe's own timeout ends it (the store's ping: `MONGODB_READY_TIMEOUT_MS`, under `timeout`)."""
    task = asyncio.ensure_future(probe())
    task.add_done_callback(_consume_outcome)
    try:
        return bool(await asyncio.wait_for(asyncio.shield(task), timeout))
    except Exception:
        return False


def _consume_outcome(task: "asyncio.Future[bool]") -> None:
    if not task.cancelled():
        task.exception()  # retrieved: a late failure of an abandoned probe is not an error to log


def operations_router(registry: CollectorRegistry, probes: dict[str, Probe], *, ready: Sequence[str] = (),
                      consumer: Details | None = None, timeout: float = 3.0) -> APIRouter:
    router = APIRouter(tags=["operations"])

    async def checks(names: Sequence[str]) -> dict[str, str]:
        results = await asyncio.gather(*(answers(probes[n], timeout) for n in names))
        return {n: ("up" if ok else "down") for n, ok in zip(names, results, strict=True)}

    @router.get("/health", summary="Broker, database and consumer: all up (200) or not (503)", response_model=Health,
                responses=_DOWN)
    async def health(response: Response) -> dict[str, object]:
        found: dict[str, object] = dict(await checks(list(probes)))
        healthy = all(v == "up" for v in found.values())
        if consumer is not None:
            found["consumer"] = state = consumer()
            healthy = healthy and state.get("state") == "flowing"
        response.status_code = 200 if healthy else 503
        return {"status": "up" if healthy else "down", "checks": found}

    @router.get("/health/ready", summary="Readiness: the database answers, so reads and durable writes work",
                response_model=Readiness,
                responses={503: {"model": Readiness, "description": "Not ready: `checks` name what is down"}})
    async def readiness(response: Response) -> dict[str, object]:
        found = await checks(list(ready or probes))
        ok = all(v == "up" for v in found.values())
        response.status_code = 200 if ok else 503
        return {"status": "ready" if ok else "not ready", "checks": found}

    @router.get("/health/live", summary="Liveness: the process answers (outages of the broker or store do not count)",
                response_model=Liveness)
    async def liveness() -> dict[str, object]:
        return {"status": "alive", **({"consumer": consumer()} if consumer else {})}

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router


def catalogue_router(document: Callable[[], dict[str, Any]]) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/asyncapi.json", summary="AsyncAPI 3 document of the events this service publishes and consumes")
    async def asyncapi() -> dict[str, Any]:
        return document()

    return router
