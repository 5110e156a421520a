"""/health reports each dependency and answers 503 when one is down; /metrics is Prometheus text."""

import asyncio

import httpx
from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter

from shared.observability.http import operations_router


def client(probes) -> httpx.AsyncClient:
    registry = CollectorRegistry()
    Counter("binome_example_total", "example", registry=registry).inc(3)
    app = FastAPI()
    app.include_router(operations_router(registry, probes, timeout=0.2))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def up() -> bool:
    return True


async def refused() -> bool:
    raise ConnectionRefusedError("127.0.0.1:19092")


async def hangs() -> bool:
    await asyncio.sleep(10)
    return True


async def test_health_is_200_when_broker_and_database_answer():
    response = await client({"kafka": up, "mongodb": up}).get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "up", "checks": {"kafka": "up", "mongodb": "up"}}


async def test_health_is_503_and_names_the_dependency_that_is_down_or_hangs():
    response = await client({"kafka": refused, "mongodb": hangs}).get("/health")
    assert response.status_code == 503
    assert response.json()["checks"] == {"kafka": "down", "mongodb": "down"}


async def test_metrics_expose_the_registry_in_prometheus_text_format():
    response = await client({}).get("/metrics")
    assert response.status_code == 200 and "binome_example_total 3.0" in response.text
    assert response.headers["content-type"].startswith("text/plain")
