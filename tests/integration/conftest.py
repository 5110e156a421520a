import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tools.servers import Servers


@pytest.fixture(scope="session")
def settings_kwargs(servers: Servers, run_id: str) -> dict[str, object]:
    return {
        "kafka_bootstrap_servers": servers.kafka_bootstrap_servers,
        "mongodb_url": servers.mongodb_url,
        "mongodb_database_prefix": f"it_{run_id}_",
        "outbox_sweep_interval_s": 1.0,
        "consumer_retry_backoff_ms": 10,
    }


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Runs the app's lifespan (real broker, relay, Mongo) and gives an HTTP client onto it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield client
