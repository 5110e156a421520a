"""A CONSUMER span per consumed record, parented on the W3C `traceparent` in that record's own headers.

The shared consumer polls batches, and FastStream's tracing would give a batch one span (in its
first record's trace only), so the consume side is ours: each record's handling, and so the outbox
entries it writes, runs in its own `<topic> process` span (FastStream's name and attributes), and
every event continues the trace of the request or event that caused it.

A decision over several records (`handles_together`, e.g. matching's consecutive enrollments) gets
one span per record too, all open while it runs; the decision runs in the LAST record's span, which
links to the others', and each event it emits continues the trace of the record named by its
`causation_id` (`tracing.causing`): a PairCreated continues the trace of the enrollment that
completed the pair, whichever record of the run it was.
"""

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import ConsumerRecord
from opentelemetry import propagate, trace
from opentelemetry.semconv.trace import SpanAttributes

from shared.messaging.raw_records import decode_headers
from shared.observability.tracing import causing, current_traceparent


@dataclass(frozen=True)
class ConsumeSpans:
    tracer: trace.Tracer | None = None  # None: tracing off, no span and no header read

    @contextlib.contextmanager
    def record(self, record: ConsumerRecord) -> Iterator[None]:
        """The record's handling, in its own span."""
        if self.tracer is None:
            yield
            return
        with trace.use_span(self._start(record), end_on_exit=True):
            yield

    @contextlib.contextmanager
    def together(self, runs: Sequence[tuple[ConsumerRecord, Any]]) -> Iterator[None]:
        """One decision over several (record, event): the last record's span, linked to the others'."""
        if self.tracer is None:
            yield
            return
        others = [self._start(record) for record, _ in runs[:-1]]
        last = self._start(runs[-1][0], links=[trace.Link(s.get_span_context()) for s in others])
        spans = [*others, last]
        causes = {str(event.event_id): current_traceparent(span) or ""
                  for (_, event), span in zip(runs, spans, strict=True)}
        try:
            with trace.use_span(last, end_on_exit=False), causing(causes):
                yield
        finally:
            for span in spans:
                span.end()

    def _start(self, record: ConsumerRecord, links: Sequence[trace.Link] = ()) -> trace.Span:
        assert self.tracer is not None
        headers, _ = decode_headers(record)  # a binary header is left out: the record is dead-lettered anyway
        return self.tracer.start_span(f"{record.topic} process", context=propagate.extract(headers),
                                      kind=trace.SpanKind.CONSUMER, attributes=_attributes(record, headers),
                                      links=links)


def _attributes(record: ConsumerRecord, headers: dict[str, str]) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        SpanAttributes.MESSAGING_SYSTEM: "kafka",
        SpanAttributes.MESSAGING_OPERATION: "process",
        SpanAttributes.MESSAGING_MESSAGE_ID: f"{record.offset}-{record.timestamp}",
        SpanAttributes.MESSAGING_MESSAGE_PAYLOAD_SIZE_BYTES: len(record.value or b""),
        SpanAttributes.MESSAGING_KAFKA_DESTINATION_PARTITION: record.partition,
        SpanAttributes.MESSAGING_KAFKA_MESSAGE_OFFSET: record.offset,
        "messaging.destination_publish.name": record.topic,
    }
    if correlation_id := headers.get("correlation_id"):
        attributes[SpanAttributes.MESSAGING_MESSAGE_CONVERSATION_ID] = correlation_id
    if record.key is not None:
        attributes[SpanAttributes.MESSAGING_KAFKA_MESSAGE_KEY] = record.key.decode("utf-8", "replace") \
            if isinstance(record.key, bytes) else str(record.key)
    return attributes

