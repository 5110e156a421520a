"""The dependency rules of the architecture, checked on the source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("enrollment", "matching", "scheduling", "feedback")
INFRASTRUCTURE = ("pymongo", "motor", "faststream", "aiokafka", "fastapi", "shared.messaging", "shared.mongo")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def python_files(*parts: str) -> list[Path]:
    return sorted(ROOT.joinpath(*parts).rglob("*.py"))


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_never_imports_another_service(service):
    others = [s for s in SERVICES if s != service]
    for path in python_files("services", service):
        bad = {m for m in imports(path) if m.split(".")[0] in others}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("service", SERVICES)
def test_the_domain_is_pure(service):
    # The one shared thing a domain may use is the availability model, itself pure (below).
    for path in python_files("services", service, "domain"):
        bad = {m for m in imports(path) if m.startswith(INFRASTRUCTURE)
               or (m.startswith("shared") and not m.startswith("shared.availability"))}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_the_shared_availability_model_is_pure():
    for path in python_files("shared", "availability"):
        bad = {m for m in imports(path) if m.startswith(INFRASTRUCTURE)
               or (m.startswith("shared") and not m.startswith("shared.availability"))}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_shared_holds_no_service_code_and_nobody_uses_motor():
    for path in python_files("shared"):
        assert not {m for m in imports(path) if m.split(".")[0] in SERVICES}, path
    for path in python_files("shared") + python_files("services") + python_files("tools"):
        assert not {m for m in imports(path) if m.split(".")[0] == "motor"}, path
