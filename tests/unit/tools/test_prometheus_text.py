"""The tests' counter reader against prometheus_client's own exposition of a registry."""

from prometheus_client import CollectorRegistry, Counter, generate_latest

from tests.prometheus_text import counter


def _exposed() -> str:
    registry = CollectorRegistry()
    dropped = Counter("binome_events_dropped_total", "dropped", ["topic", "reason"], registry=registry)
    dropped.labels("a.v1", "participant_erased").inc(2)
    dropped.labels("a.v1", "other").inc(3)
    dropped.labels("b.v1", "participant_erased").inc(5)
    Counter("matching_pool_loads", "loads", registry=registry).inc(7)
    Counter("binome_consumer_deferred_total", "deferred", ["topic"], registry=registry)  # no sample yet
    return generate_latest(registry).decode()


def test_a_counter_sums_the_samples_whose_labels_include_the_ones_asked_for():
    metrics = _exposed()
    assert counter(metrics, "binome_events_dropped_total") == 10
    assert counter(metrics, "binome_events_dropped_total", topic="a.v1") == 5
    assert counter(metrics, "binome_events_dropped_total", topic="a.v1", reason="participant_erased") == 2
    assert counter(metrics, "matching_pool_loads_total") == 7


def test_a_counter_with_no_matching_sample_is_zero_and_its_created_time_is_not_counted():
    metrics = _exposed()
    assert "binome_events_dropped_created{" in metrics
    assert counter(metrics, "binome_events_dropped_total", topic="c.v1") == 0
    assert counter(metrics, "binome_consumer_deferred_total", topic="a.v1") == 0
