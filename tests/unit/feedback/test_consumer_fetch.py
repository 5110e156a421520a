"""Feedback's consumer asks the broker for fuller fetches (bootstrap.py): its settings reach the aiokafka
consumer its one subscriber creates, and the other services keep the client's defaults."""

from feedback.bootstrap import bootstrap
from feedback.config import Settings
from feedback.entrypoints.consumers import build_kafka_router


def test_the_fetch_settings_reach_feedbacks_one_subscriber():
    settings = Settings(consumer_fetch_min_bytes=12_345, consumer_fetch_max_wait_ms=321)
    services = bootstrap(settings)

    (subscriber,) = build_kafka_router(services.runtime.consumer, services.uow, settings).subscribers

    # What FastStream passes to aiokafka's AIOKafkaConsumer when the subscriber starts.
    connection = subscriber._connection_args
    assert (connection["fetch_min_bytes"], connection["fetch_max_wait_ms"]) == (12_345, 321)
    assert connection["max_poll_interval_ms"] == settings.consumer_max_poll_interval_ms, "the shared options kept"


def test_by_default_a_fetch_waits_for_64_kib_or_half_a_second():
    settings = Settings()
    assert (settings.consumer_fetch_min_bytes, settings.consumer_fetch_max_wait_ms) == (65_536, 500)
