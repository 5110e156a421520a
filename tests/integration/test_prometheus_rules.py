"""The alert rules through the real promtool (built from the Go module proxy by deploy/local)."""

import subprocess
from pathlib import Path

import pytest

from tools.on_demand import server_env

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


@pytest.fixture(scope="module")
def promtool() -> str:
    return server_env("prometheus")["PROMTOOL"]


def run(promtool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([promtool, *args], cwd=PROMETHEUS, text=True, capture_output=True, timeout=120)


def test_promtool_accepts_the_rules_and_the_configuration(promtool: str):
    rules = run(promtool, "check", "rules", "alerts.yml")
    assert rules.returncode == 0, rules.stdout + rules.stderr
    assert "SUCCESS: 8 rules found" in rules.stdout
    config = run(promtool, "check", "config", "--syntax-only", "prometheus.yml")
    assert config.returncode == 0, config.stdout + config.stderr


def test_every_alert_fires_on_its_unit_test_series_and_not_on_the_healthy_ones(promtool: str):
    result = run(promtool, "test", "rules", "alerts.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
