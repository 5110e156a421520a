"""Session fixtures for the tiers that run on a real Kafka broker and a real MongoDB-wire server.

Failing to get servers fails these tests: they are never skipped.
"""

import uuid
from collections.abc import Iterator

import pytest

from tools.servers import Servers, acquire_servers


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    try:
        with acquire_servers() as found:
            yield found
    except Exception as exc:  # noqa: BLE001 - reported as a failure with the reason
        pytest.fail(f"no Kafka/MongoDB for integration tests: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:8]
