"""Tracing on a polled batch (shared/messaging/consume_spans.py), spans kept by an in-memory exporter:
each record of a batch gets its own CONSUMER span, parented on the `traceparent` in its own headers,
with its handling (and the outbox entries it writes) inside; in matching's decision over several
enrollments, each PairCreated continues the trace of the enrollment that completed the pair;
FastStream's own tracing spans publishing only."""

import secrets
import uuid

from aiokafka import ConsumerRecord
from faststream._internal.context import ContextRepo
from faststream.kafka.message import KafkaAckableMessage
from faststream.kafka.response import KafkaPublishCommand
from faststream.response.publish_type import PublishType
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import CollectorRegistry

from matching.entrypoints.consumers import build_kafka_router
from shared.contracts import PairCreated, ParticipantEnrolled, topic_for
from shared.messaging.broker import PublishTelemetry
from shared.messaging.consume_spans import ConsumeSpans
from shared.messaging.consumer import EventConsumer
from shared.mongo.aggregates import outbox_entry
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.fakes.memory import FakeInbox
from tests.fakes.messaging import RecordingBroker, RecordingConsumer

TOPIC = topic_for(ParticipantEnrolled)


def traced() -> tuple[InMemorySpanExporter, ConsumeSpans]:
    exporter, provider = InMemorySpanExporter(), TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter, ConsumeSpans(provider.get_tracer("test"))


def record(event, offset: int, trace_id: str, parent: str) -> ConsumerRecord:
    headers = [("traceparent", f"00-{trace_id}-{parent}-01".encode()), ("correlation_id", b"c")]
    return ConsumerRecord(topic_for(event), 0, offset, 0, 0, b"k", event.model_dump_json().encode(), None, 1, 1,
                          headers)


async def poll(consumer: EventConsumer, *records: ConsumerRecord) -> None:
    await consumer.deliver(KafkaAckableMessage(raw_message=records, body=[], consumer=RecordingConsumer()))


async def test_two_records_of_one_batch_get_two_spans_each_with_its_own_parent():
    exporter, spans = traced()
    consumer = EventConsumer("feedback", RecordingBroker(), FakeInbox(), DeliveryMetrics.on(CollectorRegistry()),
                             spans=spans)
    entries: dict[uuid.UUID, dict] = {}

    @consumer.handles(ParticipantEnrolled)
    async def handle(event: ParticipantEnrolled) -> None:
        entries[event.event_id] = outbox_entry(factories.session_completed(causation_id=event.event_id), 1)

    a, b = (factories.participant_enrolled(uuid.uuid4(), "mentee") for _ in range(2))
    sent = {a.event_id: (secrets.token_hex(16), secrets.token_hex(8)),
            b.event_id: (secrets.token_hex(16), secrets.token_hex(8))}
    await poll(consumer, record(a, 1, *sent[a.event_id]), record(b, 2, *sent[b.event_id]))

    finished = exporter.get_finished_spans()
    assert [s.name for s in finished] == [f"{TOPIC} process"] * 2
    for span, event in zip(finished, (a, b), strict=True):
        trace_id, parent = sent[event.event_id]
        assert span.kind == trace.SpanKind.CONSUMER and span.attributes["messaging.kafka.message.offset"] in (1, 2)
        assert (format(span.context.trace_id, "032x"), format(span.parent.span_id, "016x")) == (trace_id, parent)
        own = entries[event.event_id]["traceparent"].split("-")
        assert own[1:3] == [trace_id, format(span.context.span_id, "016x")], "its effects are written in its span"


class TracedUnitOfWork(FakeMatchingUnitOfWork):
    """Builds each committed event's outbox entry at commit, as the Mongo unit of work does."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[PairCreated, dict]] = []

    async def commit(self) -> None:
        before = len(self.published)
        await super().commit()
        self.entries += [(e, outbox_entry(e, 1)) for e in self.published[before:] if isinstance(e, PairCreated)]


async def test_each_pair_of_a_decision_over_several_enrollments_continues_the_trace_of_its_cause():
    exporter, spans = traced()
    uow = TracedUnitOfWork()
    consumer = EventConsumer("matching", RecordingBroker(), FakeInbox(), DeliveryMetrics.on(CollectorRegistry()),
                             backoff_ms=0, spans=spans)
    build_kafka_router(consumer, lambda: uow)
    programme = factories.programme_launched()
    people = [factories.participant_enrolled(programme.programme_id, role)
              for role in ("mentee", "mentor", "mentee", "mentee", "mentor")]
    traces = {e.event_id: secrets.token_hex(16) for e in people}
    await poll(consumer, record(programme, 0, secrets.token_hex(16), secrets.token_hex(8)))
    exporter.clear()
    await poll(consumer, *(record(e, i, traces[e.event_id], secrets.token_hex(8)) for i, e in enumerate(people, 1)))

    assert len(uow.entries) == 2, "two pairs from one decision"
    for pair, entry in uow.entries:
        cause = next(e for e in people if e.event_id == pair.causation_id)
        assert cause.participant_id in (pair.mentor.participant_id, pair.mentee.participant_id)
        assert entry["traceparent"].split("-")[1] == traces[cause.event_id]
    assert len({entry["traceparent"] for _, entry in uow.entries}) == 2, "each pair in its own cause's trace"

    finished = exporter.get_finished_spans()
    assert sorted(format(s.context.trace_id, "032x") for s in finished) == sorted(traces.values())
    [decision] = [s for s in finished if s.links]
    assert format(decision.context.trace_id, "032x") == traces[people[-1].event_id], "the run's last record"
    assert {link.context.span_id for link in decision.links} == {s.context.span_id for s in finished} - {
        decision.context.span_id}


async def test_faststream_traces_what_a_service_publishes_and_leaves_consumption_to_the_shared_consumer():
    exporter, provider = InMemorySpanExporter(), TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    telemetry = PublishTelemetry(tracer_provider=provider)
    polled = (record(factories.session_completed(), 1, secrets.token_hex(16), secrets.token_hex(8)),)

    async def handled(msg):
        return msg

    assert await telemetry(polled, context=ContextRepo()).consume_scope(handled, "msg") == "msg"
    assert exporter.get_finished_spans() == (), "no batch span: each record gets its own (consume_spans.py)"
    command = KafkaPublishCommand(b"{}", topic="t", _publish_type=PublishType.PUBLISH, headers={})
    published = await telemetry(None, context=ContextRepo()).publish_scope(handled, command)
    assert "traceparent" in published.headers and exporter.get_finished_spans()[-1].name == "t publish"
