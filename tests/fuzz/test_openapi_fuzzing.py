"""Schemathesis against each service's own OpenAPI document, on the four services as processes.

Bounded and repeatable: one seed, EXAMPLES generated requests per operation and pass, no shrinking.
Passes per operation: valid data, invalid data (schemathesis' negative mode), and valid data whose
path names the seeded programme, person, pair or session (so the code behind the 404 is reached);
all as the platform admin (every operation is theirs), and the valid pass again as a programme
manager scoped to France (lists and reads filtered by the store). Every answer must be in the
document: no 5xx, no undocumented status, and body, content type and headers as documented.
"""

import itertools
from dataclasses import dataclass, field

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.conftest import FuzzedPlatform

EXAMPLES = 12
SEED = 20261130
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@dataclass
class Findings:
    requests: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # (operation, check) -> first example

    def add(self, label: str, group: FailureGroup, case, response) -> None:
        sent = f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"[:400]
        for failure in group.exceptions:
            answer = f"-> {response.status_code} {response.text[:300]}"
            self.failures.setdefault(f"{label}: {failure.title}", f"{sent}\n{answer}\n{failure.message[:400]}")


def exercise(operation, strategy, base_url: str, token: str, label: str, found: Findings) -> None:
    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case) -> None:
        found.requests += 1
        response = case.call(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            found.add(label, group, case, response)

    try:
        run()
    except Unsatisfiable:
        pass  # nothing to generate in this mode (e.g. no parameter to make invalid)


def passes(operation, known: dict[str, str]):
    yield "valid", operation.as_strategy(GenerationMode.POSITIVE)
    yield "invalid", operation.as_strategy(GenerationMode.NEGATIVE)
    named = {p.name: known[p.name] for p in operation.path_parameters if p.name in known}
    if named:
        yield "seeded ids", operation.as_strategy(GenerationMode.POSITIVE, path_parameters=named)


@pytest.mark.parametrize("service", ["enrollment", "matching", "scheduling", "feedback"])
def test_every_answer_of_the_service_is_one_its_openapi_document_describes(fuzzed: FuzzedPlatform, service: str):
    base_url = fuzzed.urls[service]
    schema = schemathesis.openapi.from_dict(httpx.get(f"{base_url}/openapi.json", timeout=30).json())
    found = Findings()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation, caller in itertools.product(operations, ("admin", "manager")):
        for name, strategy in passes(operation, fuzzed.known):
            if caller == "admin" or name == "valid":
                exercise(operation, strategy, base_url, fuzzed.tokens[caller],
                         f"{operation.label} ({name}, {caller})", found)
    assert found.requests >= len(operations) * EXAMPLES, "every operation was exercised"
    assert not found.failures, f"{len(found.failures)} kinds of undocumented answers in {found.requests} " \
        "requests:\n" + "\n\n".join(f"{k}\n{v}" for k, v in sorted(found.failures.items()))
