"""The Grafana dashboards as code: `python -m tools.dashboards` writes deploy/grafana/dashboards/*.json.

Panels are data (title, PromQL, unit); the Grafana JSON model around them is made here, so the
committed files stay consistent. tests/contract checks the files match this module, and
tests/e2e/test_prometheus_sees_the_services.py runs every query on the real Prometheus.
"""

import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "deploy" / "grafana" / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
P = '{programme=~"$programme"}'

# Each row: (title, [(panel title, PromQL, unit, legend)]).
OVERVIEW = [
    ("Flow per stage", [
        ("HTTP requests/s by service and status", "sum by (service, status) (rate(binome_http_requests_total[5m]))",
         "reqps", "{{service}} {{status}}"),
        ("Events published/s (outbox)", "sum by (service, topic) (rate(binome_outbox_published_total[5m]))",
         "ops", "{{service}} {{topic}}"),
        ("Events consumed/s", "sum by (service, topic) (rate(binome_events_consumed_total[5m]))",
         "ops", "{{service}} ← {{topic}}"),
    ]),
    ("Lag", [
        ("Consumer lag (messages)", "sum by (group, topic) (binome_consumer_lag_messages)", "short",
         "{{group}} ← {{topic}}"),
        ("Oldest unprocessed message", "max by (group, topic) (binome_consumer_oldest_unprocessed_age_seconds)",
         "s", "{{group}} ← {{topic}}"),
        ("Oldest event waiting in an outbox", "max by (service) (binome_outbox_oldest_pending_age_seconds)", "s",
         "{{service}}"),
    ]),
    ("Dead letters and retries", [
        ("Dead letters (last hour)", "sum by (service, topic, reason) (increase(binome_dead_lettered_total[1h]))",
         "short", "{{service}} ← {{topic}}: {{reason}}"),
        ("Handler retries/s", "sum by (service, topic) (rate(binome_consumer_retries_total[5m]))", "ops",
         "{{service}} ← {{topic}}"),
        ("Redeliveries skipped by the inbox/s", "sum by (service, topic) (rate(binome_duplicate_deliveries_total[5m]))",
         "ops", "{{service}} ← {{topic}}"),
    ]),
    ("Errors and latency", [
        ("HTTP 5xx ratio", 'sum by (service) (rate(binome_http_requests_total{status=~"5.."}[5m]) or '
         "rate(binome_http_requests_total[5m]) * 0) / sum by (service) (rate(binome_http_requests_total[5m]))",
         "percentunit", "{{service}}"),
        ("HTTP latency p95 by route", "histogram_quantile(0.95, sum by (service, route, le) "
         "(rate(binome_http_request_duration_seconds_bucket[5m])))", "s", "{{service}} {{route}}"),
        ("Event handler duration p95 by topic", "histogram_quantile(0.95, sum by (service, topic, le) "
         "(rate(binome_event_handler_duration_seconds_bucket[5m])))", "s", "{{service}} ← {{topic}}"),
        ("Services up", 'up{job="binome"}', "short", "{{service}}"),
        ("Dependencies reachable", "min by (service, dependency) (binome_dependency_up)", "short",
         "{{service}} → {{dependency}}"),
    ]),
]

PROGRAMME = [
    ("Programme totals", [
        ("Enrolled", f"sum(binome_participants_enrolled{P})", "short", "enrolled"),
        ("Active pairs", f"sum(binome_pairs_active{P})", "short", "pairs"),
        ("Sessions done", f"sum(binome_sessions_completed{P})", "short", "sessions"),
        ("Pairs at risk", f"sum(binome_pairs_at_risk{P})", "short", "at risk"),
    ]),
    ("By country", [
        ("Enrolled by country", f"sum by (country) (binome_participants_enrolled{P})", "short", "{{country}}"),
        ("Active pairs by country", f"sum by (country) (binome_pairs_active{P})", "short", "{{country}}"),
        ("Sessions done by country", f"sum by (country) (binome_sessions_completed{P})", "short", "{{country}}"),
        ("Pairs at risk by country", f"sum by (country) (binome_pairs_at_risk{P})", "short", "{{country}}"),
    ]),
]


def dashboard(uid: str, title: str, rows: list, variables: list[dict] | None = None, kind: str = "timeseries") -> dict:
    panels, y, pid = [], 0, 1
    for row_title, row_panels in rows:
        panels.append({"type": "row", "title": row_title, "id": pid, "collapsed": False,
                       "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}})
        pid, y = pid + 1, y + 1
        width = 24 // len(row_panels)
        for i, (panel_title, expr, unit, legend) in enumerate(row_panels):
            panels.append({
                "type": kind if row_title != "Programme totals" else "stat", "title": panel_title, "id": pid,
                "datasource": DATASOURCE, "gridPos": {"h": 8, "w": width, "x": i * width, "y": y},
                "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
                "targets": [{"refId": "A", "datasource": DATASOURCE, "expr": expr, "legendFormat": legend}],
            })
            pid += 1
        y += 8
    return {"uid": uid, "title": title, "tags": ["binome"], "timezone": "utc", "schemaVersion": 39,
            "version": 1, "editable": False, "refresh": "30s", "time": {"from": "now-6h", "to": "now"},
            "templating": {"list": variables or []}, "panels": panels}


def programme_variable() -> dict:
    query = "label_values(binome_participants_enrolled, programme)"
    return {"name": "programme", "label": "Programme", "type": "query", "datasource": DATASOURCE,
            "query": {"query": query, "refId": "programme"}, "definition": query,
            "includeAll": True, "multi": True, "allValue": ".+", "refresh": 2,
            "current": {"text": "All", "value": "$__all"}}


def dashboards() -> dict[str, dict]:
    return {
        "binome-overview.json": dashboard("binome-overview", "Binôme overview", OVERVIEW),
        "binome-programmes.json": dashboard("binome-programmes", "Binôme programmes", PROGRAMME,
                                            [programme_variable()]),
    }


def rendered(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, model in dashboards().items():
        (OUT / name).write_text(rendered(model))
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
