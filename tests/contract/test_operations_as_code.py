"""Dashboards, alerts, runbooks and the Prometheus of docker-compose agree with the code and the repo."""

import json
import re
from pathlib import Path

import yaml

from tools.dashboards import OUT, dashboards, rendered

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"


def test_committed_dashboards_are_the_generated_ones():
    assert sorted(p.name for p in OUT.glob("*.json")) == sorted(dashboards())
    for name, model in dashboards().items():
        assert (OUT / name).read_text() == rendered(model), f"run `python -m tools.dashboards` ({name})"


def test_every_panel_queries_the_provisioned_prometheus():
    datasource = yaml.safe_load((ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())
    uid = datasource["datasources"][0]["uid"]
    for path in OUT.glob("*.json"):
        for panel in json.loads(path.read_text())["panels"]:
            if panel["type"] != "row":
                assert panel["datasource"]["uid"] == uid and panel["targets"][0]["expr"], panel["title"]


def test_every_alert_names_a_runbook_that_exists_in_the_repository():
    rules = [r for g in yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"] for r in g["rules"]]
    assert len(rules) >= 6
    for rule in rules:
        runbook = rule["annotations"]["runbook_url"]
        assert (ROOT / runbook).is_file(), f"{rule['alert']}: {runbook}"
        assert rule["alert"] in (ROOT / "docs/runbooks/README.md").read_text()


def test_every_alert_has_a_promtool_unit_test():
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yml").read_text())["tests"]
    tested = {t["alertname"] for case in tests for t in case.get("alert_rule_test", [])}
    rules = {r["alert"] for g in yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"] for r in g["rules"]}
    assert tested == rules


def test_compose_runs_the_prometheus_version_the_tests_build():
    go_mod = (ROOT / "deploy/local/prometheus/go.mod").read_text()
    module = re.search(r"github.com/prometheus/prometheus v0\.(\d+)\.(\d+)", go_mod)
    major_minor = f"3.{int(module.group(1)) - 300}.{module.group(2)}"
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["prometheus"]["image"] == f"prom/prometheus:v{major_minor}"
    mounted = compose["services"]["prometheus"]["volumes"]
    assert any(v.startswith("./deploy/prometheus/alerts.yml:") for v in mounted)
