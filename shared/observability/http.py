"""The operational contract every service shares: /health and /metrics."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pydantic import BaseModel

Probe = Callable[[], Awaitable[bool]]


class Health(BaseModel):
    status: Literal["up", "down"]
    checks: dict[str, Literal["up", "down"]]


async def answers(probe: Probe, timeout: float) -> bool:
    try:
        return await asyncio.wait_for(probe(), timeout)
    except Exception:
        return False


def operations_router(registry: CollectorRegistry, probes: dict[str, Probe], timeout: float = 3.0) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health", summary="Broker and database reachability", response_model=Health,
                responses={503: {"model": Health, "description": "The broker or the database cannot be reached"}})
    async def health(response: Response) -> dict[str, object]:
        names = list(probes)
        results = await asyncio.gather(*(answers(probes[n], timeout) for n in names))
        checks = {n: ("up" if ok else "down") for n, ok in zip(names, results, strict=True)}
        healthy = all(results)
        response.status_code = 200 if healthy else 503
        return {"status": "up" if healthy else "down", "checks": checks}

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
