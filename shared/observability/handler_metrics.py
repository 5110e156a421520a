"""`binome_event_handler_duration_seconds` per topic: a broker middleware around every consumed
message (decode, inbox check, handler with its retries, commit), whatever the consumer's code."""

import time
from typing import Any

from faststream import BaseMiddleware
from prometheus_client import CollectorRegistry, Histogram

# From 1 ms (a duplicate skipped by the inbox) to 60 s (retries with back-off, a slow store).
BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class HandlerTimer:
    """A middleware factory for KafkaBroker(middlewares=...)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.histogram = Histogram("binome_event_handler_duration_seconds",
                                   "Time to handle one consumed message, by topic and outcome",
                                   ["topic", "outcome"], buckets=BUCKETS, registry=registry)

    def __call__(self, msg: Any, /, *, context: Any) -> BaseMiddleware:
        return _TimedHandling(msg, context=context, histogram=self.histogram)


class _TimedHandling(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: Any, histogram: Histogram) -> None:
        super().__init__(msg, context=context)
        self.histogram = histogram

    async def consume_scope(self, call_next: Any, msg: Any) -> Any:
        started, outcome = time.perf_counter(), "error"
        try:
            result = await call_next(msg)
            outcome = "ok"
            return result
        finally:
            topic = getattr(msg.raw_message, "topic", "batch")
            self.histogram.labels(topic, outcome).observe(time.perf_counter() - started)
