"""Subscribing to an event topic with at-least-once delivery, inbox dedupe, bounded retries and a DLQ.

Offsets are committed only after the effect is stored (AckPolicy.MANUAL). A message that cannot be
decoded, or whose handler keeps failing, goes to the dead-letter topic and is then committed, so
the partition keeps flowing. If even the dead-letter publish fails, the offset is rewound (nack)
and the message is read again: nothing is skipped silently.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaRouter
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError

from shared.contracts import IntegrationEvent, topic_for
from shared.messaging.dead_letter import dead_letter
from shared.messaging.inbox import Inbox
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
    topics: list[str] = field(default_factory=list)

    def subscriber(self, router: KafkaRouter, event_type: type[E]) -> Callable[[Handler[E]], Handler[E]]:
        topic = topic_for(event_type)
        self.topics.append(topic)

        def register(handler: Handler[E]) -> Handler[E]:
            @router.subscriber(
                topic,
                group_id=self.service,
                ack_policy=AckPolicy.MANUAL,
                auto_offset_reset="earliest",
                decoder=_raw_body,
                title=f"{self.service}:{topic}",
                description=handler.__doc__,
            )
            async def consume(msg: KafkaMessage) -> None:
                await self.deliver(msg, event_type, handler)

            return handler

        return register

    async def deliver(self, msg: KafkaMessage, event_type: type[E], handler: Handler[E]) -> None:
        topic = msg.raw_message.topic
        if msg.raw_message.value is None:
            await msg.ack()  # a Kafka tombstone (compaction housekeeping on the key topic), not an event
            return
        try:
            event = event_type.model_validate_json(msg.body)
        except ValidationError as exc:
            await self._dead_letter(msg, f"undecodable {event_type.__name__}: {_summary(exc)}", attempts=0)
            return
        token = correlation_id.set(str(event.correlation_id))
        try:
            if await self.inbox.seen(event.event_id):
                self.metrics.duplicates.labels(topic).inc()
                await msg.ack()
                return
            error = await self._run_with_retries(event, handler, topic)
            if error is None:
                await self.inbox.record(event.event_id, topic)
                self.metrics.consumed.labels(topic).inc()
                await msg.ack()
                log.info("processed %s %s from %s", event.event_type, event.event_id, topic)
            else:
                await self._dead_letter(
                    msg, f"handler failed after {self.max_attempts} attempts: {error!r}", self.max_attempts
                )
        finally:
            correlation_id.reset(token)

    async def _run_with_retries(self, event: E, handler: Handler[E], topic: str) -> Exception | None:
        error: Exception | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await handler(event)
                return None
            except Exception as exc:
                error = exc
                log.warning("handler attempt %d/%d on %s failed: %r", attempt, self.max_attempts, topic, exc)
                if attempt < self.max_attempts:
                    self.metrics.retries.labels(topic).inc()
                    await asyncio.sleep(self.backoff_ms * attempt / 1000)
        return error

    async def _dead_letter(self, msg: KafkaMessage, reason: str, attempts: int) -> None:
        source = msg.raw_message.topic
        try:
            target = await dead_letter(self.broker, self.service, msg, reason, attempts)
        except Exception:
            log.exception("dead-letter publish failed; rewinding %s to re-read the message", source)
            await msg.nack()
            return
        self.metrics.dead_lettered.labels(source, reason.split(":")[0][:40]).inc()
        log.error("message from %s sent to %s: %s", source, target, reason)
        await msg.ack()


def _summary(exc: ValidationError) -> str:
    first = exc.errors()[:3]
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '<body>'}: {e['msg']}" for e in first)
