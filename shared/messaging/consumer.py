"""A service's one Kafka consumer: every consumed topic, at-least-once, inbox dedupe, bounded retries, DLQ.

- One subscriber (one consumer in the service's group) for all the service's topics, handled one
  message at a time: a join or leave rebalances one member, not one per topic.
- Offsets are committed only after the effect and its inbox record are stored (AckPolicy.MANUAL).
- A message bad in itself (undecodable header or body, wrong type, schema-invalid, a null value on a
  topic that is not compacted, or a handler that keeps failing) goes to `dlq.<service>.<topic>` and
  is then committed, so the partition flows.
- An outage (store or broker unreachable, a timeout: `failures.transient_dependency`) is no fault of
  the message: the whole delivery is retried with back-off for `transient_retry_s`, then the offset
  is rewound and the message polled again, until the dependency is back. It is never dead-lettered
  and never committed past; `state` shows the wait in /health and metrics.
- A handler that needs what another topic has not delivered yet (a data key) raises `Deferred`: the
  message is put back and read again later (deferrals.py); one whose person was erased raises
  `Dropped`: counted and committed, never applied (outcomes.py).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaRouter
from faststream.kafka.annotations import KafkaMessage

from shared.contracts import IntegrationEvent, topic_for
from shared.contracts.topics import compacted
from shared.messaging.dead_letter import dead_letter
from shared.messaging.deferrals import Deferrals
from shared.messaging.delivery_state import DeliveryState
from shared.messaging.failures import transient_dependency
from shared.messaging.inbox import Inbox
from shared.messaging.outcomes import Deferred, Dropped
from shared.messaging.raw_records import decode_event, keep_raw_headers, where
from shared.observability.logging import correlation_id
from shared.observability.metrics import DeliveryMetrics

E = TypeVar("E", bound=IntegrationEvent)
Handler = Callable[[E], Awaitable[None]]
log = logging.getLogger(__name__)


async def _raw_body(msg: Any) -> bytes:
    # Decoding is ours, so an undecodable message reaches our DLQ instead of FastStream's error path.
    return msg.body


@dataclass
class EventConsumer:
    service: str
    broker: KafkaBroker
    inbox: Inbox
    metrics: DeliveryMetrics
    max_attempts: int = 3
    backoff_ms: int = 200
    transient_retry_s: float = 30.0
    transient_backoff_max_ms: int = 5000
    options: dict[str, Any] = field(default_factory=lambda: {"auto_offset_reset": "earliest"})
    routes: dict[str, tuple[type[IntegrationEvent], Handler[Any]]] = field(default_factory=dict)
    state: DeliveryState = field(default_factory=DeliveryState)
    deferrals: Deferrals = field(default_factory=Deferrals)
    stopping: bool = False
    built: bool = False

    @property
    def topics(self) -> list[str]:
        return list(self.routes)

    def handles(self, event_type: type[E]) -> Callable[[Handler[E]], Handler[E]]:
        """Registers the use case for one consumed event type (its topic is the type's topic)."""

        def register(handler: Handler[E]) -> Handler[E]:
            if self.built:
                raise RuntimeError(f"{event_type.__name__} registered after the consumer was built")
            self.routes[topic_for(event_type)] = (event_type, handler)
            return handler

        return register

    def subscriber(self, _router: KafkaRouter, event_type: type[E]) -> Callable[[Handler[E]], Handler[E]]:
        """The earlier spelling of `handles` (one subscriber per topic): the router is not used."""
        return self.handles(event_type)

    def descriptions(self) -> dict[str, str]:
        """What the service does with each consumed topic (its use case's docstring), for the AsyncAPI document."""
        return {topic: (handler.__doc__ or "").strip() for topic, (_, handler) in self.routes.items()}

    def router(self) -> KafkaRouter:
        """The one subscriber over every registered topic; call after the last `handles`."""
        router = KafkaRouter()
        # FastStream names one channel per topic "<title>:<topic>" (just "<title>" for a single topic): the
        # AsyncAPI channels keep the names they had with one subscriber per topic.
        only = f":{next(iter(self.routes))}" if len(self.routes) == 1 else ""
        subscriber = router.subscriber(
            *self.routes, ack_policy=AckPolicy.MANUAL, parser=keep_raw_headers, decoder=_raw_body,
            title=f"{self.service}{only}", **{**self.options, "group_id": self.service},
        )
        subscriber(self.deliver)
        self.built = True
        return router

    async def deliver(self, msg: KafkaMessage) -> None:
        record: ConsumerRecord = msg.raw_message
        event_type, handler = self.routes[record.topic]
        if record.value is None and compacted(record.topic):
            await self._commit(msg)  # compaction housekeeping (the key topic's roll), not an event
            return
        event, problem = decode_event(record, event_type)
        if event is None:
            await self._until_done(msg, lambda: self._dead_letter(record, problem, attempts=0))
            return
        token = correlation_id.set(str(event.correlation_id))
        try:
            await self._until_done(msg, lambda: self._process(record, event, handler))
        finally:
            correlation_id.reset(token)

    async def _process(self, record: ConsumerRecord, event: IntegrationEvent, handler: Handler[Any]) -> None:
        if await self.inbox.seen(event.event_id):
            self.metrics.duplicates.labels(record.topic).inc()
            return
        try:
            error = await self._run_with_retries(event, handler, record)
        except Dropped as dropped:
            self.metrics.dropped.labels(record.topic, dropped.reason).inc()
            log.warning("dropped %s %s from %s: %s", event.event_type, event.event_id, where(record), dropped)
            await self.inbox.record(event.event_id, record.topic)
            return
        except Deferred as deferred:
            waited = self.deferrals.waited_s(record)
            if waited <= self.deferrals.max_wait_s:
                raise
            await self._dead_letter(record, f"deferred for {waited:.0f} s, still {deferred.reason}", 1)
            return
        if error is not None:
            reason = f"handler failed after {self.max_attempts} attempts: {error!r}"
            await self._dead_letter(record, reason, self.max_attempts)
            return
        await self.inbox.record(event.event_id, record.topic)
        self.metrics.consumed.labels(record.topic).inc()
        log.info("processed %s %s from %s", event.event_type, event.event_id, where(record))

    async def _run_with_retries(self, event: E, handler: Handler[E], record: ConsumerRecord) -> Exception | None:
        error: Exception | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await handler(event)
                return None
            except (Deferred, Dropped):
                raise  # not a failure: nothing to retry
            except Exception as exc:
                if transient_dependency(exc):
                    raise  # an outage is not the message's fault: wait for the dependency instead
                error = exc
                log.warning("handler attempt %d/%d on %s failed: %r", attempt, self.max_attempts, where(record), exc)
                if attempt < self.max_attempts:
                    self.metrics.retries.labels(record.topic).inc()
                    await asyncio.sleep(self.backoff_ms * attempt / 1000)
        return error

    async def _until_done(self, msg: KafkaMessage, step: Callable[[], Awaitable[None]]) -> None:
        record: ConsumerRecord = msg.raw_message
        started, delay = time.monotonic(), 0.2
        while True:
            try:
                await step()
            except Deferred as deferred:
                pause_s = await self.deferrals.put_back(msg)
                self.metrics.deferred.labels(record.topic).inc()
                log.info("%s put back, read again in %.2f s: %s", where(record), pause_s, deferred)
                return
            except Exception as exc:
                dependency = transient_dependency(exc) or "unknown"
                self.state.waiting(dependency, exc)
                self.metrics.transient_failures.labels(record.topic, dependency).inc()
                log.warning("%s unavailable while delivering %s: %r; retrying", dependency, where(record), exc)
                if self.stopping or time.monotonic() - started + delay > self.transient_retry_s:
                    await self._rewind(msg)
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.transient_backoff_max_ms / 1000)
            else:
                self.state.flowing()
                self.deferrals.done(record)
                await self._commit(msg)
                return

    async def _commit(self, msg: KafkaMessage) -> None:
        # The effect is stored: a failed commit only means a redelivery, which the inbox absorbs.
        try:
            await msg.ack()
        except Exception as exc:
            self.metrics.commit_failures.inc()
            log.warning("offset commit after %s failed (a redelivery will be absorbed): %r", where(msg.raw_message),
                        exc)

    async def _rewind(self, msg: KafkaMessage) -> None:
        self.metrics.rewinds.labels(msg.raw_message.topic).inc()
        log.warning("rewinding to %s: it will be read again", where(msg.raw_message))
        try:
            await msg.nack()
        except Exception as exc:  # the partition was revoked meanwhile: its next owner starts before it
            log.warning("rewind of %s not needed (%r)", where(msg.raw_message), exc)

    async def _dead_letter(self, record: ConsumerRecord, reason: str, attempts: int) -> None:
        target = await dead_letter(self.broker, self.service, record, reason, attempts)
        self.metrics.dead_lettered.labels(record.topic, reason.split(":")[0][:40]).inc()
        log.error("message %s sent to %s: %s", where(record), target, reason)

