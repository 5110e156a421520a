"""Reads a sample from a service's `/metrics` text with prometheus_client's own parser, the way
Prometheus would: the tests that wait on a counter share it instead of matching lines by hand."""

from prometheus_client.parser import text_string_to_metric_families


def counter(metrics: str, name: str, **labels: str) -> float:
    """The sum of `name`'s samples (e.g. `binome_events_dropped_total`) whose labels include `labels`;
    0 when none is exposed yet (a labelled counter appears with its first increment)."""
    return sum(sample.value for family in text_string_to_metric_families(metrics) for sample in family.samples
               if sample.name == name and labels.items() <= sample.labels.items())
