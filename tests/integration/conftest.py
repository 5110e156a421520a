import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from shared.security import PLATFORM_ADMIN
from tools.consumer_groups import start_at_end_now
from tools.identity import Identity
from tools.processes import SERVICES
from tools.servers import Servers

# In this tier each service runs in-process and connects to Kafka as the broker's admin; what each
# service's own principal may do is tested in test_kafka_acls.py, and used by the e2e tier.
IDENTITIES: dict[str, Identity] = {}


@pytest.fixture(scope="session")
def settings_kwargs(servers: Servers, run_id: str) -> dict[str, object]:
    return {
        **servers.settings_for("admin"),
        "mongodb_database_prefix": f"it_{run_id}_",
        "outbox_sweep_interval_s": 1.0,
        "consumer_retry_backoff_ms": 10,
    }


@pytest.fixture(scope="session", autouse=True)
def groups_start_at_end(servers: Servers) -> None:
    """This tier's databases are new (see settings_kwargs): records earlier runs left are not its own."""
    start_at_end_now(servers, SERVICES)


@pytest.fixture
async def db(servers: Servers) -> AsyncIterator[AsyncDatabase]:
    """A database of the test's own on the real store, dropped afterwards."""
    client = AsyncMongoClient(servers.mongodb_url, tz_aware=True)
    name = f"it_scratch_{uuid.uuid4().hex[:8]}"
    yield client[name]
    await client.drop_database(name)
    await client.close()


def identity(issuer: str) -> Identity:
    if issuer not in IDENTITIES:
        IDENTITIES[issuer] = Identity(issuer)
    return IDENTITIES[issuer]


@contextlib.asynccontextmanager
async def serving(app: FastAPI, *roles: str, **scope: object) -> AsyncIterator[httpx.AsyncClient]:
    """Runs the app's lifespan (real broker, relay, Mongo) and gives an HTTP client onto it, carrying a real
    token from the identity provider (a platform admin's unless roles and a scope are given)."""
    issuer = app.state.runtime.settings.oidc_issuer_url
    headers = await identity(issuer).headers(*(roles or (PLATFORM_ADMIN,)), **scope)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service", headers=headers) as client:
            yield client
