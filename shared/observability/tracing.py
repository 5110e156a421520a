"""OpenTelemetry tracing, configured by the standard OTEL_* variables and off when no OTLP endpoint
is set: W3C `traceparent` from the HTTP request (TracedHttp), into each outbox entry
(`traceparent_for`), back into context when the relay publishes (`publishing_in`), into Kafka headers
(FastStream's KafkaTelemetryMiddleware, publish side) and out of them, record by record, in every
consumer (consume_spans.py)."""

import contextlib
import os
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def tracing_enabled() -> bool:
    disabled = os.getenv("OTEL_SDK_DISABLED", "").lower() == "true"
    return not disabled and any(os.getenv(v) for v in ENDPOINT_VARIABLES)


def tracer_provider(service: str) -> TracerProvider | None:
    """One provider per service app (several apps share a process in the integration tests); its
    exporter, sampler and batching read the OTEL_* variables. None when tracing is off."""
    if not tracing_enabled():
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": os.getenv("OTEL_SERVICE_NAME") or service})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def current_traceparent(span: trace.Span | None = None) -> str | None:
    """The W3C traceparent of `span`, else of the span in progress (an HTTP request, a consumed event)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier, context=trace.set_span_in_context(span) if span is not None else None)
    return carrier.get("traceparent")


# The traceparent of each consumed event's span, by event id, while one decision handles several.
_causes: ContextVar[Mapping[str, str] | None] = ContextVar("binome_trace_causes", default=None)


def traceparent_for(causation_id: Any) -> str | None:
    """The trace an emitted event continues: that of the consumed event which caused it when one
    decision handles several (`causing`), else the span in progress."""
    causes = _causes.get()
    return (causes.get(str(causation_id)) if causes and causation_id else None) or current_traceparent()


@contextlib.contextmanager
def causing(traceparents: Mapping[str, str]) -> Iterator[None]:
    token = _causes.set(traceparents)
    try:
        yield
    finally:
        _causes.reset(token)


@contextlib.contextmanager
def publishing_in(traceparent: str | None) -> Iterator[None]:
    """Makes the stored traceparent current, so the publish span continues the original trace."""
    if not traceparent:
        yield
        return
    token = context.attach(propagate.extract({"traceparent": traceparent}))
    try:
        yield
    finally:
        context.detach(token)


def tracer(provider: TracerProvider | None, name: str) -> trace.Tracer:
    return (provider or trace.NoOpTracerProvider()).get_tracer(name)
