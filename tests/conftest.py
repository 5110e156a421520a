"""The folder decides the tier; the real servers are shared by the integration and e2e tiers.

Failing to get servers fails those tests: they are never skipped.
"""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests import properties  # noqa: F401 - registers the Hypothesis profiles
from tools.servers import Servers, acquire_servers

settings.load_profile("ci")  # `--hypothesis-profile=fuzz` (make fuzz) loads the other one after this

TIERS = ("unit", "component", "contract", "integration", "e2e", "faults", "fuzz")
RUN_ORDER = {"unit": 0, "component": 0, "contract": 0, "fuzz": 2}  # the others: 1, in collection order


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        tier = Path(item.path).relative_to(Path(__file__).parent).parts[0]
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False) and tier != "fuzz":
            item.add_marker(pytest.mark.property)
    # First the tiers that need no server, while `make test` starts the shared ones in the background
    # (tools/test_tiers.sh). Last the fuzzing tier: it leaves hundreds of odd but valid events on the
    # topics, which no other tier's consumers should have to wade through in the same run.
    items.sort(key=lambda item: RUN_ORDER.get(Path(item.path).relative_to(Path(__file__).parent).parts[0], 1))


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    try:
        with acquire_servers() as found:
            yield found
    except Exception as exc:
        pytest.fail(f"no Kafka/MongoDB for integration tests: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:8]
