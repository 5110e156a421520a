import uuid
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry

from feedback.domain.figures import Figure
from feedback.domain.impact import Group, ImpactReport
from feedback.entrypoints.impact_metrics import ImpactGauges


def _report(countries: dict[str, float | None]) -> ImpactReport:
    groups = tuple(Group("country", c, 10, False, (Figure("nps", v, 10 if v is not None else 0, v is None),))
                   for c, v in countries.items())
    return ImpactReport(uuid.uuid4(), datetime.now(UTC), 5, groups)


def _labels(registry: CollectorRegistry) -> set[tuple[str, str]]:
    return {(s.labels["programme"], s.labels["country"]) for m in registry.collect() if m.name == "binome_feedback_nps"
            for s in m.samples}


def test_only_iso_countries_and_a_bounded_number_of_programmes_get_labels():
    registry = CollectorRegistry()
    gauges = ImpactGauges(registry, max_programmes=2, max_countries=2, min_interval_s=0)
    reports = [_report({"FR": 10.0, "DE": 20.0, "BR": 30.0, "unknown": 5.0}) for _ in range(3)]
    for r in reports:
        gauges.show(r)
    labels = _labels(registry)
    assert {p for p, _ in labels} == {str(r.programme_id) for r in reports[:2]}
    assert {c for _, c in labels} == {"BR", "DE"}, "at most two countries, ISO codes only"


def test_a_figure_that_becomes_suppressed_disappears_from_the_gauges():
    registry = CollectorRegistry()
    gauges = ImpactGauges(registry, max_programmes=5, max_countries=10, min_interval_s=0)
    report = _report({"FR": 12.5})
    gauges.show(report)
    assert _labels(registry) == {(str(report.programme_id), "FR")}
    gauges.show(ImpactReport(report.programme_id, report.generated_at, 5, _report({"FR": None}).groups))
    assert _labels(registry) == set()
