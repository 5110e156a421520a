"""Every HTTP operation of the four OpenAPI documents, driven with bad tokens and with a valid token of
each role in and out of scope, against the outcome the tables below expect. A new endpoint without a
rule in its service's policy.py, or without a row here, fails.

Callers: pm-FR / pm-JP are programme managers scoped to a country (the world's in-scope data is in FR);
pm-P / pm-Q to programme P (the world's) / another; owner is the participant the data is about,
stranger another participant. ok: 2xx, and for a list: not empty and every item in the caller's scope;
none: 2xx with an empty list; 403/404: that status. Every bad token is a 401.
"""

import importlib

import pytest

from shared.security.public import PUBLIC
from tests.access import enrollment, feedback, matching, scheduling
from tests.access.world import CALLERS
from tests.local_issuer import LOCAL
from tools.contracts import openapi

EXPECTED = {
    "enrollment": {
        #                                                                adm  pmFR pmJP pmP  pmQ  hr   anly own  strg
        "GET /curricula":                                               "ok   ok   ok   ok   ok   403  ok   ok   ok",
        "POST /curricula":                                              "ok   403  403  403  403  403  403  403  403",
        "GET /curricula/{version}":                                     "ok   ok   ok   ok   ok   403  ok   ok   ok",
        "POST /programmes":                                             "ok   403  403  403  403  403  403  403  403",
        "GET /programmes":                                              "ok   ok   none ok   none 403  ok   403  403",
        "GET /programmes/{programme_id}":                               "ok   ok   404  ok   404  403  ok   403  403",
        "PATCH /programmes/{programme_id}":                             "ok   403  403  ok   403  403  403  403  403",
        "POST /programmes/{programme_id}/closure":                      "ok   403  403  ok   403  403  403  403  403",
        "GET /programmes/{programme_id}/statistics":                    "ok   ok   404  ok   404  403  403  403  403",
        "POST /programmes/{programme_id}/participants":                 "ok   ok   403  ok   403  ok   403  403  403",
        "GET /programmes/{programme_id}/participants":                  "ok   ok   none ok   none 403  403  ok   none",
        "GET /programmes/{programme_id}/participants/{participant_id}": "ok   ok   404  ok   404  403  403  ok   404",
        "POST /programmes/{programme_id}/participants/{participant_id}/withdrawal":
                                                                        "ok   ok   404  ok   404  403  403  403  403",
        "POST /programmes/{programme_id}/participants/{participant_id}/erasure":
                                                                        "ok   ok   404  ok   404  403  403  ok   404",
        "POST /programmes/{programme_id}/imports":                      "ok   403  403  403  403  ok   403  403  403",
        "GET /audit":                                                   "ok   403  403  403  403  403  403  403  403",
    },
    "matching": {
        #                                                                adm  pmFR pmJP pmP  pmQ  hr   anly own  strg
        "GET /pairs":                                                   "ok   ok   none ok   none 403  403  ok   none",
        "GET /pairs/{pair_id}":                                         "ok   ok   404  ok   404  403  403  ok   404",
        "GET /programmes/{programme_id}":                               "ok   403  403  ok   403  403  403  403  403",
        "PUT /programmes/{programme_id}/mode":                          "ok   403  403  ok   403  403  403  403  403",
        "POST /programmes/{programme_id}/pair-rules":                   "ok   403  403  ok   403  403  403  403  403",
        "POST /programmes/{programme_id}/rounds":                       "ok   403  403  ok   403  403  403  403  403",
        "GET /programmes/{programme_id}/rounds/{round_id}":             "ok   403  403  ok   403  403  403  403  403",
        "POST /programmes/{programme_id}/rounds/{round_id}/decision":   "ok   403  403  ok   403  403  403  403  403",
        "GET /audit":                                                   "ok   403  403  403  403  403  403  403  403",
    },
    "scheduling": {
        #                                                                adm  pmFR pmJP pmP  pmQ  hr   anly own  strg
        "GET /pairs":                                                   "ok   ok   none ok   none 403  403  ok   none",
        "GET /pairs/{pair_id}":                                         "ok   ok   404  ok   404  403  403  ok   404",
        "GET /pairs/{pair_id}/calendar.ics":                            "ok   ok   404  ok   404  403  403  ok   404",
        "GET /sessions":                                                "ok   ok   none ok   none 403  403  ok   none",
        "GET /sessions/{session_id}":                                   "ok   ok   404  ok   404  403  403  ok   404",
        "GET /sessions/{session_id}/invite.ics":                        "ok   ok   404  ok   404  403  403  ok   404",
        "GET /participants/{participant_id}/agenda":                    "ok   403  403  403  403  403  403  ok   404",
        "POST /sessions/{session_id}/completion":                       "ok   ok   404  ok   404  403  403  403  403",
        "POST /sessions/{session_id}/missed":                           "ok   ok   404  ok   404  403  403  403  403",
        "POST /sessions/{session_id}/reschedule":                       "ok   ok   404  ok   404  403  403  403  403",
        "POST /sessions/{session_id}/cancellation":                     "ok   ok   404  ok   404  403  403  403  403",
        "POST /operations/tick":                                        "ok   403  403  403  403  403  403  403  403",
        "POST /programmes/{programme_id}/cafes":                        "ok   403  403  ok   403  403  403  403  403",
        "GET /cafes":                                                   "ok   none none ok   none 403  403  403  403",
        "GET /cafes/{cafe_id}":                                         "ok   404  404  ok   404  403  403  403  403",
        "POST /cafes/{cafe_id}/attendees":                              "ok   404  404  ok   404  403  403  ok   403",
        "GET /audit":                                                   "ok   403  403  403  403  403  403  403  403",
    },
    "feedback": {
        #                                                                adm  pmFR pmJP pmP  pmQ  hr   anly own  strg
        "POST /surveys":                                                "ok   403  403  403  403  403  403  ok   403",
        "GET /surveys":                                                 "ok   ok   none ok   none 403  403  403  403",
        "POST /end-surveys":                                            "ok   403  403  403  403  403  403  ok   403",
        "GET /invitations":                                             "ok   ok   none ok   none 403  403  ok   none",
        "GET /programmes/{programme_id}/impact":                        "ok   ok   403  ok   403  403  ok   403  403",
        "GET /programmes/{programme_id}/impact.csv":                    "ok   ok   403  ok   403  403  ok   403  403",
        "GET /programmes/{programme_id}/impact.html":                   "ok   ok   403  ok   403  403  ok   403  403",
        "GET /audit":                                                   "ok   403  403  403  403  403  403  403  403",
    },
}
WORLDS = {"enrollment": enrollment, "matching": matching, "scheduling": scheduling, "feedback": feedback}
OPEN = set(PUBLIC)  # /health, its probes, /metrics, /asyncapi.json: shared/security/public.py says why


def operations(service: str) -> list[str]:
    paths = openapi(service)["paths"]
    return sorted(f"{method.upper()} {path}" for path, methods in paths.items() for method in methods)


@pytest.mark.parametrize("service", EXPECTED)
def test_every_operation_of_the_openapi_document_has_a_rule_a_row_and_a_request(service):
    documented = operations(service)
    assert set(documented) - OPEN == set(EXPECTED[service]), "operations without a row (or rows without one)"
    assert OPEN <= set(documented), "the public operations are the same in every service"
    assert set(EXPECTED[service]) == set(WORLDS[service].CALLS)
    declared = set()
    for path, methods in openapi(service)["paths"].items():
        for method, operation in methods.items():
            if f"{method.upper()} {path}" in OPEN:
                assert operation["security"] == [] and operation["x-access"]["public"], f"{method} {path}"
            else:
                assert operation["x-access"]["operation"], f"{method} {path} declares no policy operation"
                assert {"401", "403"} <= set(operation["responses"]) and operation["security"] == [{"bearer": []}]
                declared.add(operation["x-access"]["operation"])
    rules = importlib.import_module(f"{service}.policy").POLICY.rules
    assert declared == set(rules), "every rule of policy.py is an endpoint's, and every endpoint's is in it"


@pytest.fixture(scope="module")
def seeds():
    return {service: module.app() for service, module in WORLDS.items()}


def _outcome(response, call, scope) -> str:
    if response.status_code in (401, 403, 404):
        return str(response.status_code)
    if not 200 <= response.status_code < 300:
        return f"{response.status_code}: {response.text[:200]}"
    if call.admits is None:
        return "ok"
    items = response.json()[call.items]
    if not items:
        return "none"
    strays = [i for i in items if not call.admits(scope, i)]
    return f"ok but {len(strays)} item(s) outside the scope" if strays else "ok"


@pytest.mark.parametrize(("service", "operation"), [(s, o) for s, rows in EXPECTED.items() for o in rows])
async def test_each_caller_gets_the_expected_outcome(seeds, service, operation):
    call = WORLDS[service].CALLS[operation]
    got = []
    for caller in CALLERS:
        world = await seeds[service]()
        token, scope = world.token_of(caller)
        got.append(_outcome(await world.send(call, token), call, scope))
    assert got == EXPECTED[service][operation].split(), list(zip(CALLERS, got, strict=True))


@pytest.mark.parametrize(("service", "operation"), [(s, o) for s, rows in EXPECTED.items() for o in rows])
async def test_no_token_and_every_bad_token_get_a_401_that_names_no_secret(seeds, service, operation):
    world = await seeds[service]()
    call = WORLDS[service].CALLS[operation]
    for name, token in {"no token": None, **LOCAL.bad_tokens()}.items():
        response = await world.send(call, token)
        assert response.status_code == 401, (name, response.status_code, response.text)
        message = response.json()["detail"][0]
        assert message["loc"] == ["header", "Authorization"], name
        assert LOCAL.issuer not in message["msg"] and LOCAL.audience not in message["msg"], name
        assert response.headers["www-authenticate"].startswith("Bearer"), name
