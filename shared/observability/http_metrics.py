"""HTTP request rate, errors and latency per route template (never the raw path: bounded labels)."""

import time
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.http_answer import AnsweredStatus

# Buckets from 5 ms to 30 s: imports and statistics on the local store take seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SKIPPED_ROUTES = frozenset({"/metrics"})


@dataclass(frozen=True)
class HttpMetrics:
    requests: Counter
    latency: Histogram

    @classmethod
    def on(cls, registry: CollectorRegistry) -> "HttpMetrics":
        return cls(
            Counter("binome_http_requests_total", "HTTP requests answered, by route template and status",
                    ["method", "route", "status"], registry=registry),
            Histogram("binome_http_request_duration_seconds", "Time to answer an HTTP request, by route template",
                      ["method", "route"], buckets=LATENCY_BUCKETS, registry=registry),
        )


class MeasuredHttp:
    """ASGI middleware recording every answered request in HttpMetrics."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.requests = metrics.requests
        self.latency = metrics.latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        answered = AnsweredStatus(send)
        try:
            await self.app(scope, receive, answered)
        finally:
            route = _route_template(scope)
            if route not in SKIPPED_ROUTES:
                method = scope["method"]
                self.requests.labels(method, route, str(answered.code)).inc()
                self.latency.labels(method, route).observe(time.perf_counter() - started)


def _route_template(scope: Scope) -> str:
    # The router stores the matched route in the scope; unmatched paths share one label value.
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"
