"""The Helm chart, offline: `helm lint --strict` and `helm template` with the real Helm (built from
the Go module proxy by deploy/local/helm.sh), then every rendered object validated against the
Kubernetes JSON schemas that the locked `kubernetes-validate` package ships (strict: unknown
fields fail), and the operational contract checked on the rendered Deployments."""

import subprocess
from functools import cache
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from shared.settings import BaseServiceSettings
from tools.contracts import SERVICES
from tools.processes import SERVICES as LOCAL_PORTS

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "binome"
KUBERNETES = "1.33.0"
OPERATOR_KINDS = {"ServiceMonitor"}  # a CRD's kind: no schema in Kubernetes' own


@cache
def helm() -> str:
    result = subprocess.run(["bash", str(ROOT / "deploy/local/helm.sh"), "path"], text=True, capture_output=True,
                            timeout=3600)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def run_helm(*args: str) -> str:
    result = subprocess.run([helm(), *args], text=True, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@cache
def rendered(*sets: str) -> tuple[dict, ...]:
    flags = [f for s in sets for f in ("--set", s)]
    text = run_helm("template", "binome", str(CHART), "--namespace", "binome", *flags)
    return tuple(d for d in yaml.safe_load_all(text) if d)


@pytest.mark.parametrize("sets", [(), ("metrics.serviceMonitor.enabled=true", "tracing.otlpEndpoint=http://c:4318",
                                       "secrets.existingSecret=binome-prod")])
def test_helm_lint_strict_passes(sets):
    flags = [f for s in sets for f in ("--set", s)]
    assert "0 chart(s) failed" in run_helm("lint", "--strict", str(CHART), *flags)


@pytest.mark.parametrize("sets", [(), ("metrics.serviceMonitor.enabled=true", "secrets.existingSecret=binome-prod",
                                       "kafka.caConfigMap=kafka-ca")])
def test_every_rendered_object_is_valid_for_kubernetes(sets):
    objects = rendered(*sets)
    assert objects
    for obj in objects:
        if obj["kind"] in OPERATOR_KINDS:
            continue
        kubernetes_validate.validate(obj, KUBERNETES, strict=True)


def test_each_service_has_a_deployment_service_and_pdb_with_probes_and_resources():
    objects = rendered()
    by_kind: dict[str, dict[str, dict]] = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = obj
    for service in SERVICES:
        deployment = by_kind["Deployment"][f"binome-{service}"]
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert container["startupProbe"]["httpGet"]["path"] == "/health/live"
        assert container["resources"]["requests"] and container["resources"]["limits"]
        env = {e["name"]: e for e in container["env"]}
        assert env["MONGODB_URL"]["valueFrom"]["secretKeyRef"]["key"] == "MONGODB_URL"
        password = env["KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"]
        assert password == f"KAFKA_SASL_PASSWORD_{service.upper()}"
        assert deployment["spec"]["replicas"] == 1, "one replica per service (deploy/helm/binome/README.md)"
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        assert f"binome-{service}" in by_kind["Service"] and f"binome-{service}" in by_kind["PodDisruptionBudget"]
    config = by_kind["ConfigMap"]["binome-config"]["data"]
    assert {"KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "OIDC_ISSUER_URL",
            "OIDC_AUDIENCE", "OIDC_ROLES_CLAIM", "OIDC_COUNTRIES_CLAIM", "OIDC_PROGRAMMES_CLAIM",
            "OIDC_PARTICIPANT_CLAIM"} <= set(config)
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in config, "tracing is off unless an endpoint is given"
    secret = by_kind["Secret"]["binome-secrets"]["stringData"]
    assert {"MONGODB_URL", *(f"KAFKA_SASL_PASSWORD_{s.upper()}" for s in SERVICES)} == set(secret)


def test_an_existing_secret_replaces_the_generated_one():
    objects = rendered("secrets.existingSecret=binome-prod")
    assert not [o for o in objects if o["kind"] == "Secret"]
    refs = {e["valueFrom"]["secretKeyRef"]["name"] for o in objects if o["kind"] == "Deployment"
            for e in o["spec"]["template"]["spec"]["containers"][0]["env"] if "valueFrom" in e}
    assert refs == {"binome-prod"}


def test_the_chart_values_are_those_the_services_read():
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    assert {s: v["port"] for s, v in values["services"].items()} == LOCAL_PORTS


def test_every_variable_the_chart_sets_is_one_the_services_read():
    """The ConfigMap's keys and each container's env are settings of shared/settings.py (or OTEL_*), with
    the values.yaml defaults equal to the code's."""
    known = {name.upper() for name in BaseServiceSettings.model_fields}
    objects = rendered("tracing.otlpEndpoint=http://c:4318", "kafka.caConfigMap=kafka-ca")
    config = next(o for o in objects if o["kind"] == "ConfigMap")["data"]
    env = {e["name"] for o in objects if o["kind"] == "Deployment"
           for e in o["spec"]["template"]["spec"]["containers"][0]["env"]}
    unknown = {n for n in {*config, *env} if n not in known and not n.startswith("OTEL_")}
    assert not unknown, f"variables no service reads: {unknown}"
    assert config["KAFKA_SSL_CAFILE"] == "/etc/binome/kafka-ca/ca.crt"
    defaults = BaseServiceSettings(service_name="any")
    for name in ("OIDC_AUDIENCE", "OIDC_ALGORITHMS", "OIDC_LEEWAY_SECONDS", "OIDC_ROLES_CLAIM", "OIDC_COUNTRIES_CLAIM",
                 "OIDC_PROGRAMMES_CLAIM", "OIDC_PARTICIPANT_CLAIM", "KAFKA_SASL_MECHANISM"):
        assert config[name] == str(getattr(defaults, name.lower())), name
