"""Matching's HTTP app over a fake unit of work, called as the platform admin (local issuer)."""

import httpx

from matching.config import Settings
from matching.entrypoints.app import create_app
from shared.runtime import Services
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.local_issuer import LOCAL, local_runtime


def admin_client(uow: FakeMatchingUnitOfWork) -> httpx.AsyncClient:
    services = Services(local_runtime(Settings()), lambda: uow)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(services=services)), base_url="http://t",
                             headers=LOCAL.admin())
