"""The one way services build their Kafka broker: durable producer, its own principal, delivery
settings sized for a busy machine, Prometheus middleware."""

import asyncio
import logging
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.kafka.opentelemetry.provider import KafkaTelemetrySettingsProvider
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry

from shared.contracts.topics import topic_config
from shared.messaging.kafka_security import KafkaCredentials
from shared.observability.handler_metrics import HandlerTimer
from shared.settings import BaseServiceSettings

# A partition's producer batch (aiokafka's default is 16 KiB). The relay publishes a chunk's events
# concurrently (1,000 enrollments, 2,000 records); when a batch is full every send waiting on that
# partition is woken at each drain and all but a batch's worth wait again, so the waits grew with the
# square of the senders (a third of the relay's CPU in enrollment's import, docs/benchmarks.md
# "cpu14"). The broker's default record-batch limit (message.max.bytes) is 1 MiB.
PRODUCER_BATCH_BYTES = 256 * 1024


def make_broker(settings: BaseServiceSettings, registry: CollectorRegistry,
                tracer_provider: TracerProvider | None = None) -> KafkaBroker:
    tracing = (PublishTelemetry(tracer_provider=tracer_provider),) if tracer_provider else ()
    metrics = ((KafkaPrometheusMiddleware(registry=registry, app_name=settings.service_name), HandlerTimer(registry))
               if settings.metrics_enabled else ())
    # aiokafka defaults to acks=1 without idempotence; a lost ack would lose an event.
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_batch_size=PRODUCER_BATCH_BYTES,
        client_id=settings.service_name,
        security=KafkaCredentials.of(settings).security(),
        middlewares=(*tracing, *metrics),
        logger=logging.getLogger(f"{settings.service_name}.broker"),
        graceful_timeout=15.0,
    )


class PublishTelemetry(KafkaTelemetryMiddleware):
    """FastStream's tracing for what a service publishes (a PRODUCER span, the `traceparent` header).
    Consumption is traced record by record by the shared consumer (consume_spans.py): FastStream would
    give a polled batch one span, in its first record's trace only."""

    def __init__(self, *, tracer_provider: TracerProvider) -> None:
        super().__init__(tracer_provider=tracer_provider)
        # FastStream builds a middleware per publish with no message, per consumed batch with it.
        self._settings_provider_factory = lambda msg: KafkaTelemetrySettingsProvider() if msg is None else None


def consumer_options(settings: BaseServiceSettings) -> dict[str, Any]:
    """What the service's one consumer asks of the group coordinator.

    - static membership (`group_instance_id`): a service killed and restarted under the same id gets
      its partitions back at once, with no rebalance of the group and no wait for the session timeout;
    - a 45 s session timeout: heartbeats run on the event loop, which a busy 2-core machine (or a
      matching solve) can starve for seconds; the default 10 s made the group rebalance under load;
    - `max_poll_interval_ms` well above the longest in-place wait for a dependency
      (`consumer_transient_retry_s`), after which the message is rewound and polled again anyway.
    """
    return {
        "group_id": settings.service_name,
        "group_instance_id": settings.group_instance_id,
        "session_timeout_ms": settings.consumer_session_timeout_ms,
        "heartbeat_interval_ms": settings.consumer_heartbeat_interval_ms,
        "max_poll_interval_ms": settings.consumer_max_poll_interval_ms,
        "auto_offset_reset": "earliest",
    }


async def ensure_topics(bootstrap_servers: str, topics: list[str], partitions: int = 3,
                        credentials: KafkaCredentials | None = None) -> None:
    """Create missing topics up front so consumers never race the broker's auto-creation.

    With ACLs, a principal lists only the topics it may describe, and creates only its own
    (the platform, or deploy/local, creates the catalogue in deploy/kafka/topics.yaml beforehand)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="binome-topics",
                                **(credentials or KafkaCredentials()).client_kwargs())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(t, num_partitions=partitions, replication_factor=1, topic_configs=topic_config(t))
                   for t in topics if t not in existing]
        if missing:
            await admin.create_topics(missing)
            await _until_described(admin, [t.name for t in missing])
    finally:
        await admin.close()


async def _until_described(admin: AIOKafkaAdminClient, topics: list[str], timeout_s: float = 30) -> None:
    # A consumer that subscribes before the broker's metadata shows a new topic gets no partition of it
    # until its next metadata refresh (minutes), so wait until every new topic is described.
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        described = await admin.describe_topics(topics)
        if all(t.get("error_code") == 0 and t.get("partitions") for t in described):
            return
        await asyncio.sleep(0.2)
