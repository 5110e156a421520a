"""The real Prometheus (deploy/local, built from the Go module proxy) scrapes the four services as
OS processes with deploy/prometheus/prometheus.yml and alerts.yml: every dashboard panel's query
and every metric the alerts use returns series, the rules evaluate without error, and a poison
message makes the dead-letter alert fire."""

import asyncio
import re
import time

import httpx
import yaml

from tests.factories import participant_request, programme_request
from tests.kafka_probe import TopicReader, eventually, publish_raw
from tools.dashboards import dashboards
from tools.on_demand import on_demand
from tools.processes import running_services
from tools.servers import ROOT, Servers

ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
FAST = {"METRICS_REFRESH_INTERVAL_S": "1", "OUTBOX_POLL_INTERVAL_MS": "100"}


def panel_queries(programme: str) -> dict[str, str]:
    return {f"{name}: {panel['title']}": target["expr"].replace("$programme", programme)
            for name, model in dashboards().items() for panel in model["panels"] if panel["type"] != "row"
            for target in panel["targets"]}


def alert_metrics() -> set[str]:
    rules = [r for g in yaml.safe_load(ALERTS.read_text())["groups"] for r in g["rules"]]
    return {m for r in rules for m in re.findall(r"\b(binome_\w+|up)\b", r["expr"])}


async def test_every_dashboard_query_and_alert_metric_has_series_on_the_real_prometheus(servers: Servers, run_id):
    log_dir = ROOT / ".local" / "logs" / f"e2e-prometheus-{run_id}"
    with running_services(servers, log_dir, database_prefix=f"prom_{run_id}_", extra_env=FAST) as svc, \
            on_demand("prometheus", env={"BINOME_PROMETHEUS_SCRAPE_INTERVAL": "1s"}) as prometheus:
        programme = await _drive_one_pair_through_a_session(servers, svc)
        poison = f"poison-{run_id}".encode()
        await publish_raw(servers.kafka_bootstrap_servers, "enrollment.participant-enrolled.v1", poison, b"\x00 oops")

        async with httpx.AsyncClient(base_url=prometheus["PROMETHEUS_URL"], timeout=10) as prom:
            queries = panel_queries(programme) | {f"alert metric {m}": m for m in alert_metrics()}
            empty = await _until_all_have_series(prom, queries, deadline_s=180)
            assert not empty, f"no series on the real Prometheus for: {empty}"

            rules = (await prom.get("/api/v1/rules")).json()["data"]["groups"]
            evaluated = {r["name"]: (r["health"], r.get("lastError", "")) for g in rules for r in g["rules"]}
            assert len(evaluated) == 8 and all(h == ("ok", "") for h in evaluated.values()), evaluated

            firing = await eventually(lambda: _alerts(prom, "BinomeDeadLettersAppearing"), timeout=120, interval=1)
            assert any(a["labels"].get("topic") == "enrollment.participant-enrolled.v1" for a in firing), firing
            services = {r["metric"]["service"] for r in await _query(prom, 'up{job="binome"} == 1')}
            assert services == {"enrollment", "matching", "scheduling", "feedback"}


async def _drive_one_pair_through_a_session(servers: Servers, svc) -> str:
    async with httpx.AsyncClient(timeout=15) as http, \
            TopicReader(servers.kafka_bootstrap_servers, ["scheduling.session-scheduled.v1"]) as kafka:
        enrollment = svc["enrollment"].url
        programme = (await http.post(f"{enrollment}/programmes", json=programme_request())).json()["programme_id"]
        for who, role in (("J-1", "mentor"), ("S-1", "mentee")):
            response = await http.post(f"{enrollment}/programmes/{programme}/participants",
                                       json=participant_request(who, role, languages=["fr", "en"]))
            assert response.status_code == 201, response.text
        assert (await http.get(f"{enrollment}/programmes/{programme}/nowhere")).status_code == 404
        scheduled = await kafka.wait_for(lambda r: r.json().get("programme_id") == programme, timeout=90)
        assert scheduled, "the pair's sessions were scheduled"
        session = scheduled[0].json()["session_id"]
        done = await http.post(f"{svc['scheduling'].url}/sessions/{session}/completion", json={"actual_minutes": 50})
        assert done.status_code == 200, done.text
    return programme


async def _query(prom: httpx.AsyncClient, expr: str) -> list[dict]:
    body = (await prom.get("/api/v1/query", params={"query": expr})).json()
    assert body["status"] == "success", f"{expr}: {body}"
    return body["data"]["result"]


async def _alerts(prom: httpx.AsyncClient, name: str) -> list[dict]:
    alerts = (await prom.get("/api/v1/alerts")).json()["data"]["alerts"]
    return [a for a in alerts if a["labels"]["alertname"] == name and a["state"] == "firing"]


async def _until_all_have_series(prom: httpx.AsyncClient, queries: dict[str, str], deadline_s: float) -> dict:
    deadline, empty = time.monotonic() + deadline_s, dict(queries)
    while empty and time.monotonic() < deadline:
        for title, expr in list(empty.items()):
            if await _query(prom, expr):
                del empty[title]
        if empty:
            await asyncio.sleep(1)
    return empty


