"""What every service process is made of, built once by its composition root."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Generic, TypeVar

from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker, KafkaRouter
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts import dlq_topic
from shared.contracts.asyncapi import asyncapi_document, declare_publishers
from shared.http_errors import UNAVAILABLE, install_error_handlers
from shared.http_statuses import document_statuses
from shared.messaging.applied_memory import AppliedMemory
from shared.messaging.broker import consumer_options, ensure_topics, make_broker
from shared.messaging.consume_spans import ConsumeSpans
from shared.messaging.consumer import EventConsumer
from shared.messaging.deferrals import Deferrals
from shared.messaging.inbox import Inbox
from shared.messaging.kafka_security import KafkaCredentials
from shared.messaging.outbox_relay import OutboxRelay
from shared.messaging.publisher import kafka_publisher
from shared.mongo import outbox_markers
from shared.mongo.audit import MongoAuditLog
from shared.mongo.client import StoreTimeouts, make_client, ping
from shared.observability.business import Figure, ReadFigures
from shared.observability.http import catalogue_router, operations_router
from shared.observability.http_metrics import HttpMetrics, MeasuredHttp
from shared.observability.http_tracing import TracedHttp
from shared.observability.logging import configure_logging
from shared.observability.metrics import DeliveryMetrics
from shared.observability.monitor import OperationsMonitor
from shared.observability.tracing import tracer, tracer_provider
from shared.observability.watch import watch_business, watch_operations, watching
from shared.security.install import install_access
from shared.security.jwks import Jwks
from shared.security.policy import Policy
from shared.security.verifier import TokenVerifier
from shared.settings import BaseServiceSettings

log = logging.getLogger(__name__)
U = TypeVar("U")


@dataclass
class Runtime:
    settings: BaseServiceSettings
    registry: CollectorRegistry
    broker: KafkaBroker
    client: AsyncMongoClient
    db: AsyncDatabase
    metrics: DeliveryMetrics
    inbox: Inbox
    consumer: EventConsumer
    relay: OutboxRelay
    verifier: TokenVerifier
    audit: MongoAuditLog
    monitor: OperationsMonitor
    outbox_collections: Sequence[str] = ()
    tracer_provider: TracerProvider | None = None
    startup: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    shutdown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @classmethod
    def build(cls, settings: BaseServiceSettings, outbox_collections: Sequence[str]) -> "Runtime":
        registry = CollectorRegistry()
        tracing = tracer_provider(settings.service_name)
        broker = make_broker(settings, registry, tracing)
        client = make_client(settings.mongodb_url, StoreTimeouts.of(settings))
        db = client[settings.database_name]
        metrics = DeliveryMetrics.on(registry)
        inbox = Inbox(db)
        consumer = EventConsumer(
            settings.service_name,
            broker,
            inbox,
            metrics,
            max_attempts=settings.consumer_max_attempts,
            backoff_ms=settings.consumer_retry_backoff_ms,
            transient_retry_s=settings.consumer_transient_retry_s,
            transient_backoff_max_ms=settings.consumer_transient_backoff_max_ms,
            options=consumer_options(settings),
            deferrals=Deferrals(settings.consumer_deferred_max_s),
            spans=ConsumeSpans(tracer(tracing, "binome.consumer") if tracing else None),
            memory=AppliedMemory(timedelta(seconds=settings.consumer_inbox_clock_skew_s)),
        )
        metrics.waiting.set_function(consumer.state.waited_s)
        relay = OutboxRelay(
            db,
            list(outbox_collections),
            kafka_publisher(broker),
            metrics,
            sweep_interval_s=settings.outbox_sweep_interval_s,
            tidy_per_sweep=settings.outbox_tidy_per_sweep,
        )
        monitor = OperationsMonitor(registry, settings.metrics_refresh_interval_s)
        return cls(settings, registry, broker, client, db, metrics, inbox, consumer, relay, token_verifier(settings),
                   MongoAuditLog(db), monitor, outbox_collections, tracing)


def token_verifier(settings: BaseServiceSettings) -> TokenVerifier:
    jwks = Jwks(settings.oidc_issuer_url, settings.oidc_jwks_url or None)
    return TokenVerifier(settings.oidc_issuer_url.rstrip("/"), settings.oidc_audience, jwks,
                         settings.token_algorithms, settings.oidc_leeway_seconds, settings.claim_names)


@dataclass
class Services(Generic[U]):
    """What a service's entrypoints need: the runtime and a factory of its unit of work."""

    runtime: Runtime
    uow: Callable[[], U]


def compose(
    settings: BaseServiceSettings,
    collections: Sequence[str],
    unit_of_work: Callable[[AsyncDatabase, Callable[[], None]], U],
    ensure_indexes: Callable[[AsyncDatabase], Awaitable[None]],
    business: tuple[Sequence[Figure], ReadFigures] | None = None,
) -> Services[U]:
    """The shape of every composition root: relay over the outbox collections, indexes at start-up,
    units of work that wake the relay when they commit, and the service's business gauges."""
    runtime = Runtime.build(settings, collections)
    runtime.startup.append(lambda: ensure_indexes(runtime.db))
    runtime.startup.append(runtime.audit.ensure_indexes)
    if business is not None:
        watch_business(runtime.monitor, runtime.db, *business, settings.metrics_max_programmes)
    return Services(runtime, lambda: unit_of_work(runtime.db, runtime.relay.wake))


def service_app(
    runtime: Runtime,
    *,
    title: str,
    description: str,
    kafka_router: KafkaRouter,
    http_routers: Sequence[APIRouter],
    topics: Sequence[str],
    policy: Policy,
) -> FastAPI:
    """The process's ASGI app: HTTP routes behind the service's access policy, /health, /metrics, and the
    broker + relay in its lifespan."""
    settings = runtime.settings
    runtime.broker.include_router(kafka_router)
    if runtime.consumer.routes and not runtime.consumer.built:  # a consumers module that returned its own router
        runtime.broker.include_router(runtime.consumer.router())
    declare_publishers(runtime.broker, settings.service_name, topics)
    consumed = runtime.consumer.topics
    runtime.metrics.expect(consumed)
    all_topics = sorted({*topics, *consumed, *(dlq_topic(settings.service_name, t) for t in consumed)})

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.service_name, settings.log_level)
        await ensure_topics(settings.kafka_bootstrap_servers, all_topics, credentials=KafkaCredentials.of(settings))
        for step in runtime.startup:
            await step()
        await runtime.broker.start()
        relay_task = asyncio.create_task(runtime.relay.run_forever(), name="outbox-relay")
        log.info("%s started", settings.service_name)
        try:
            async with watching(runtime.monitor, settings, sorted(set(consumed))):
                yield
        finally:
            # The message in hand finishes (or, if it waits for an outage, is left uncommitted to be read
            # again); its offset is committed before the consumer closes (FastStream's graceful_timeout).
            runtime.consumer.stopping = True
            runtime.relay.stop()
            await relay_task
            for step in runtime.shutdown:
                await step()
            await runtime.broker.stop()
            await runtime.client.close()
            if runtime.tracer_provider is not None:
                runtime.tracer_provider.shutdown()  # flushes the spans still batched

    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan)
    app.state.runtime = runtime
    app.state.topics = all_topics
    app.state.publishes, app.state.consumes = sorted(topics), sorted(consumed)
    install_error_handlers(app)
    install_access(app, policy, runtime.verifier, runtime.audit)
    document_statuses(app)
    if settings.metrics_enabled:
        app.add_middleware(MeasuredHttp, metrics=HttpMetrics.on(runtime.registry))
    if runtime.tracer_provider is not None:
        app.add_middleware(TracedHttp, provider=runtime.tracer_provider)

    async def broker_up() -> bool:
        return await runtime.broker.ping(timeout=2.0)

    ready_s = settings.mongodb_ready_timeout_ms / 1000
    probes = {"kafka": broker_up, "mongodb": lambda: ping(runtime.client, ready_s)}
    watch_operations(runtime.monitor, runtime.db[outbox_markers.COLLECTION], probes)
    app.include_router(operations_router(runtime.registry, probes, ready=("mongodb",),
                                         consumer=runtime.consumer.state.describe))
    app.include_router(catalogue_router(lambda: asyncapi_document(runtime.broker, settings.service_name, description,
                                                                  runtime.consumer.descriptions())))
    for router in http_routers:
        app.include_router(router, responses=UNAVAILABLE)
    return app
