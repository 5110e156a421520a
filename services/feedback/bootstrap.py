"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from feedback.adapters.mongo_unit_of_work import COLLECTIONS, MongoFeedbackUnitOfWork, ensure_indexes
from feedback.config import Settings
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.runtime import Services, compose


def bootstrap(settings: Settings) -> Services[FeedbackUnitOfWork]:
    services = compose(settings, COLLECTIONS, MongoFeedbackUnitOfWork, ensure_indexes)
    # Feedback has no latency target, and every polled batch costs the store the same few commands (an
    # inbox insert, an erasure-epoch read per run, a write per run) whatever its size: the broker holds
    # each fetch until it has `consumer_fetch_min_bytes` or `consumer_fetch_max_wait_ms` has passed, so
    # a busy pipeline arrives in fuller batches (docs/benchmarks.md, issue 14, feedback's commands).
    services.runtime.consumer.options.update(fetch_min_bytes=settings.consumer_fetch_min_bytes,
                                             fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms)
    return services
