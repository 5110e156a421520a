"""Operations against the real tools, on the four services as OS processes (tests/e2e/operated_platform.py):
- one enrollment's trace, fetched from Jaeger's query API, crosses enrollment -> matching ->
  scheduling -> feedback, from the client's W3C traceparent through outboxes and Kafka headers;
- the real Prometheus scrapes them with deploy/prometheus/prometheus.yml and alerts.yml: every
  dashboard panel's query and every metric the alerts use returns series, the business gauges
  count the programme, the rules evaluate without error, and the poison message fires the
  dead-letter alert."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
import yaml

from tests.e2e.operated_platform import OperatedPlatform, operated_platform
from tests.kafka_probe import eventually
from tools.dashboards import dashboards
from tools.identity import Identity
from tools.servers import ROOT, Servers

SERVICES = {"enrollment", "matching", "scheduling", "feedback"}
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"


@pytest.fixture(scope="module")
async def platform(servers: Servers, run_id: str, people: Identity) -> AsyncIterator[OperatedPlatform]:
    async with operated_platform(servers, run_id, people) as running:
        yield running


async def test_one_enrollment_trace_crosses_the_four_services(platform: OperatedPlatform):
    assert platform.scheduled[0].headers["traceparent"].split("-")[1] == platform.trace_id, \
        "the trace rides in the Kafka headers"
    async with httpx.AsyncClient(base_url=platform.jaeger_url, timeout=10) as query:
        # each service exports its spans in its own batches: wait for the span checked and all its ancestors
        found = await eventually(
            lambda: _feedback_session_span_with_ancestors(query, platform.trace_id, platform.client_span),
            timeout=120, interval=1)
        last_seen = (await _trace(query, platform.trace_id)) or {"spans": []}
    assert found, f"Jaeger's trace {platform.trace_id} has no feedback span for a SessionScheduled whose " \
                  f"ancestors are all exported: {sorted(s['operationName'] for s in last_seen['spans'])}"

    trace, chain = found
    spans = {s["spanID"]: s for s in trace["spans"]}
    service_of = {sid: trace["processes"][s["processID"]]["serviceName"] for sid, s in spans.items()}
    assert {service_of[sid] for sid in chain} == SERVICES, "feedback's span descends from the three others'"
    root = spans[chain[-1]]
    assert service_of[root["spanID"]] == "enrollment" and root["operationName"].startswith("POST /programmes")
    assert root["references"][0]["spanID"] == platform.client_span, "the client's traceparent is the root's parent"


async def test_every_dashboard_query_and_alert_metric_has_series_on_the_real_prometheus(platform: OperatedPlatform):
    async with httpx.AsyncClient(base_url=platform.prometheus_url, timeout=10) as prom:
        queries = _panel_queries(platform.programme) | {f"alert metric {m}": m for m in _alert_metrics()}
        empty = await _until_all_have_series(prom, queries)
        assert not empty, f"no series on the real Prometheus for: {empty}"

        expected = {"binome_participants_enrolled": 2, "binome_pairs_active": 1, "binome_sessions_completed": 1,
                    "binome_pairs_at_risk": 0}
        for metric, value in expected.items():
            of_programme = f'sum({metric}{{programme="{platform.programme}"}})'
            figure = await eventually(lambda q=of_programme, v=value: _value_is(prom, q, v), timeout=60, interval=1)
            assert figure, f"{of_programme} is not {value}: {await _query(prom, of_programme)}"
        assert await eventually(lambda: _value_is(prom, "max(binome_outbox_oldest_pending_age_seconds)", 0),
                                timeout=60, interval=1), "every outbox drains"

        rules = (await prom.get("/api/v1/rules")).json()["data"]["groups"]
        evaluated = {r["name"]: (r["health"], r.get("lastError", "")) for g in rules for r in g["rules"]}
        assert len(evaluated) == 8 and all(h == ("ok", "") for h in evaluated.values()), evaluated

        firing = await eventually(lambda: _alerts(prom, "BinomeDeadLettersAppearing"), timeout=120, interval=1)
        assert any(a["labels"].get("topic") == "enrollment.participant-enrolled.v2" for a in firing), firing
        services = {r["metric"]["service"] for r in await _query(prom, 'up{job="binome"} == 1')}
        assert services == SERVICES


def _panel_queries(programme: str) -> dict[str, str]:
    return {f"{name}: {panel['title']}": target["expr"].replace("$programme", programme)
            for name, model in dashboards().items() for panel in model["panels"] if panel["type"] != "row"
            for target in panel["targets"]}


def _alert_metrics() -> set[str]:
    rules = [r for g in yaml.safe_load(ALERTS.read_text())["groups"] for r in g["rules"]]
    return {m for r in rules for m in re.findall(r"\b(binome_\w+|up)\b", r["expr"])}


async def _trace(query: httpx.AsyncClient, trace_id: str) -> dict | None:
    response = await query.get(f"/api/traces/{trace_id}")
    if response.status_code != 200 or not response.json().get("data"):
        return None
    return response.json()["data"][0]


async def _feedback_session_span_with_ancestors(query: httpx.AsyncClient, trace_id: str,
                                               client_span: str) -> tuple[dict, list[str]] | None:
    """The trace and the chain from feedback's SessionScheduled span up to the client's, once all are in Jaeger."""
    trace = await _trace(query, trace_id)
    if trace is None:
        return None
    spans = {s["spanID"]: s for s in trace["spans"]}
    for sid, span in spans.items():
        if trace["processes"][span["processID"]]["serviceName"] == "feedback" \
                and "session-scheduled" in span["operationName"]:
            chain = _ancestors(sid, spans)
            if _parent(spans[chain[-1]]) == client_span:
                return trace, chain
    return None


def _ancestors(span_id: str, spans: dict[str, dict]) -> list[str]:
    chain = [span_id]
    while (parent := _parent(spans[chain[-1]])) in spans:
        chain.append(parent)
    return chain


def _parent(span: dict) -> str | None:
    return next((r["spanID"] for r in span["references"] if r["refType"] == "CHILD_OF"), None)


async def _query(prom: httpx.AsyncClient, expr: str) -> list[dict]:
    body = (await prom.get("/api/v1/query", params={"query": expr})).json()
    assert body["status"] == "success", f"{expr}: {body}"
    return body["data"]["result"]


async def _value_is(prom: httpx.AsyncClient, expr: str, value: float) -> bool:
    result = await _query(prom, expr)
    return bool(result) and float(result[0]["value"][1]) == value


async def _alerts(prom: httpx.AsyncClient, name: str) -> list[dict]:
    alerts = (await prom.get("/api/v1/alerts")).json()["data"]["alerts"]
    return [a for a in alerts if a["labels"]["alertname"] == name and a["state"] == "firing"]


async def _until_all_have_series(prom: httpx.AsyncClient, queries: dict[str, str]) -> dict[str, str]:
    empty = dict(queries)

    async def all_found() -> bool:
        for title, expr in list(empty.items()):
            if await _query(prom, expr):
                del empty[title]
        return not empty

    await eventually(all_found, timeout=180, interval=1)
    return empty
