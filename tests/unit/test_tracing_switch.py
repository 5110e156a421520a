"""Tracing is off unless an OTLP endpoint is set; when a span is current, the outbox entry keeps its
W3C traceparent, and the relay makes it current again when it publishes."""

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from shared.mongo.aggregates import outbox_entry
from shared.observability.tracing import current_traceparent, publishing_in, tracer_provider
from tests import factories


def test_no_endpoint_means_no_tracing(monkeypatch):
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SDK_DISABLED"):
        monkeypatch.delenv(name, raising=False)
    assert tracer_provider("matching") is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert tracer_provider("matching") is None, "the standard kill switch wins"


def test_an_endpoint_turns_tracing_on_with_the_service_name(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    provider = tracer_provider("scheduling")
    try:
        assert provider is not None and provider.resource.attributes["service.name"] == "scheduling"
    finally:
        provider.shutdown()


def test_the_outbox_entry_carries_the_current_trace_and_the_relay_restores_it():
    event = factories.session_completed()
    assert "traceparent" not in outbox_entry(event, 1), "no span, no header"
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("POST /sessions/{id}/completion") as span:
        entry = outbox_entry(event, 1)
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert entry["traceparent"].split("-")[1] == trace_id

    assert current_traceparent() is None
    with publishing_in(entry["traceparent"]):
        assert trace.get_current_span().get_span_context().trace_id == span.get_span_context().trace_id
    assert current_traceparent() is None
