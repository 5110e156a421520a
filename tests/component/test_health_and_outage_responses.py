"""Liveness is not readiness, and an unreachable store is a 503 with Retry-After, never a hang or a 500."""

import httpx
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from pymongo.errors import DuplicateKeyError, ServerSelectionTimeoutError

from shared.http_errors import UNAVAILABLE, install_error_handlers
from shared.messaging.delivery_state import DeliveryState
from shared.observability.http import operations_router


def _app(up: dict[str, bool], state: DeliveryState) -> FastAPI:
    async def probe_of(name: str) -> bool:
        if not up[name]:
            raise ServerSelectionTimeoutError(f"{name} unreachable")
        return True

    app = FastAPI()
    install_error_handlers(app)
    probes = {n: (lambda n=n: probe_of(n)) for n in up}
    app.include_router(operations_router(CollectorRegistry(), probes, ready=("mongodb",), consumer=state.describe))

    @app.post("/things", responses=UNAVAILABLE)
    async def write() -> dict[str, str]:
        await probe_of("mongodb")
        return {"ok": "stored"}

    @app.post("/duplicates")
    async def duplicate() -> None:
        raise DuplicateKeyError("E11000", code=11000)

    return app


async def _get(app: FastAPI, method: str, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        return await client.request(method, path)


async def test_while_only_the_broker_is_down_the_service_is_alive_and_ready_but_not_healthy():
    app = _app({"kafka": False, "mongodb": True}, DeliveryState())
    assert (await _get(app, "GET", "/health/live")).status_code == 200
    assert (await _get(app, "GET", "/health/ready")).status_code == 200
    health = await _get(app, "GET", "/health")
    assert health.status_code == 503 and health.json()["checks"]["kafka"] == "down"
    assert (await _get(app, "POST", "/things")).status_code == 200, "writes go to the outbox meanwhile"


async def test_while_the_store_is_down_writes_answer_503_with_retry_after_and_readiness_fails():
    app = _app({"kafka": True, "mongodb": False}, DeliveryState())
    refused = await _get(app, "POST", "/things")
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert refused.json()["detail"][0]["msg"] == "the database is unreachable; retry later"
    assert (await _get(app, "GET", "/health/ready")).status_code == 503
    assert (await _get(app, "GET", "/health/live")).status_code == 200, "waiting is no reason to restart"


async def test_a_consumer_waiting_for_a_dependency_shows_in_health_with_what_it_waits_for():
    state = DeliveryState()
    state.waiting("mongodb", ServerSelectionTimeoutError("gone"))
    health = await _get(_app({"kafka": True, "mongodb": True}, state), "GET", "/health")
    assert health.status_code == 503
    assert health.json()["checks"]["consumer"]["state"] == "waiting"
    assert health.json()["checks"]["consumer"]["dependency"] == "mongodb"


async def test_a_database_error_that_is_not_an_outage_stays_a_500():
    assert (await _get(_app({"kafka": True, "mongodb": True}, DeliveryState()), "POST", "/duplicates")).status_code \
        == 500


def test_the_503_and_its_retry_after_header_are_in_the_openapi():
    operation = _app({"kafka": True, "mongodb": True}, DeliveryState()).openapi()["paths"]["/things"]["post"]
    assert "Retry-After" in operation["responses"]["503"]["headers"]
