"""OpenTelemetry tracing, configured by the standard OTEL_* variables and off when no OTLP endpoint
is set: W3C `traceparent` from the HTTP request (TracedHttp), into each outbox entry
(`current_traceparent`), back into context when the relay publishes (`publishing_in`), into Kafka
headers and out of them in every consumer (FastStream's KafkaTelemetryMiddleware)."""

import contextlib
import os
from collections.abc import Iterator

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


def current_traceparent() -> str | None:
    """The W3C traceparent of the span in progress (an HTTP request, a consumed event), if any."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


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
