"""The folder decides the tier: each test gets the marker of the folder it lives in."""

from pathlib import Path

import pytest

TIERS = ("unit", "component", "contract", "integration", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        tier = Path(item.path).relative_to(Path(__file__).parent).parts[0]
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))
