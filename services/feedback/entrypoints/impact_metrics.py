"""Prometheus gauges of the impact figures per programme and country, with bounded label sets.

Labels: programme ids known to this service (at most `metrics_max_programmes`), countries as ISO
3166 alpha-2 codes (at most `metrics_max_countries` per programme); a figure suppressed in the
report (fewer than k people) is removed from the gauges too.
"""

import time
from uuid import UUID

import pycountry
from prometheus_client import CollectorRegistry, Gauge

from feedback.domain.impact import ImpactReport

FIGURES = {
    "recommendation_rate": ("binome_feedback_recommendation_rate", "Share of end surveys that would recommend"),
    "nps": ("binome_feedback_nps", "Net Promoter Score (promoters 9-10 minus detractors 0-6), -100..100"),
    "response_rate": ("binome_feedback_response_rate", "Share of survey invitations answered"),
}


class ImpactGauges:
    def __init__(self, registry: CollectorRegistry, max_programmes: int, max_countries: int,
                 min_interval_s: float = 2.0) -> None:
        self.gauges = {name: Gauge(metric, doc, ["programme", "country"], registry=registry)
                       for name, (metric, doc) in FIGURES.items()}
        self.max_programmes, self.max_countries, self.min_interval_s = max_programmes, max_countries, min_interval_s
        self.labelled: dict[str, set[str]] = {}
        self.refreshed_at: dict[UUID, float] = {}

    def due(self, programme_id: UUID) -> bool:
        """Throttles refreshes after submissions: the report is recomputed at most every min_interval_s."""
        return time.monotonic() - self.refreshed_at.get(programme_id, -1e9) >= self.min_interval_s

    def show(self, report: ImpactReport) -> None:
        programme = str(report.programme_id)
        if programme not in self.labelled and len(self.labelled) >= self.max_programmes:
            return
        self.refreshed_at[report.programme_id] = time.monotonic()
        countries = {g.value: g for g in report.groups if g.dimension == "country" and _iso(g.value)}
        kept = sorted(countries)[: self.max_countries]
        for country in self.labelled.get(programme, set()) - set(kept):
            for gauge in self.gauges.values():
                _remove(gauge, programme, country)
        for country in kept:
            figures = {f.name: f for f in countries[country].figures}
            for name, gauge in self.gauges.items():
                f = figures.get(name)
                if f is None or f.value is None:
                    _remove(gauge, programme, country)
                else:
                    gauge.labels(programme, country).set(f.value)
        self.labelled[programme] = set(kept)


def _iso(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def _remove(gauge: Gauge, programme: str, country: str) -> None:
    try:
        gauge.remove(programme, country)
    except KeyError:
        pass
