"""Subscribing to an event topic with at-least-once delivery, inbox dedupe, bounded retries and a DLQ.

Offsets are committed only after the effect is stored (AckPolicy.MANUAL). A message that cannot be
decoded, or whose handler keeps failing, goes to the dead-letter topic and is then committed, so
the partition keeps flowing. If even the dead-letter publish fails, the offset is rewound (nack)
and the message is read again: nothing is skipped silently. A handler may also defer an event until
something on another topic arrives (parked, see parking.py) or drop it for good (outcomes.py).
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
from shared.messaging.outcomes import Deferred, Dropped
from shared.messaging.parking import ParkedEvents, record_of, waited_s
from shared.observability.logging import correlation_id
from shared.observability.metrics import DeliveryMetrics

E = TypeVar("E", bound=IntegrationEvent)
Handler = Callable[[E], Awaitable[None]]
log = logging.getLogger(__name__)


class DeadLetterFailed(Exception):
    pass


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
    parked: ParkedEvents | None = None
    parked_max_s: float = 86400.0
    routes: dict[str, tuple[type[IntegrationEvent], Handler[Any]]] = field(default_factory=dict)
    replaying: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def topics(self) -> list[str]:
        return list(self.routes)

    def subscriber(self, router: KafkaRouter, event_type: type[E]) -> Callable[[Handler[E]], Handler[E]]:
        topic = topic_for(event_type)

        def register(handler: Handler[E]) -> Handler[E]:
            self.routes[topic] = (event_type, handler)

            @router.subscriber(topic, group_id=self.service, ack_policy=AckPolicy.MANUAL, auto_offset_reset="earliest",
                               decoder=_raw_body, title=f"{self.service}:{topic}", description=handler.__doc__)
            async def consume(msg: KafkaMessage) -> None:
                await self.deliver(msg)

            return handler

        return register

    async def deliver(self, msg: KafkaMessage) -> None:
        try:
            await self.apply(msg.raw_message, live=True)
        except Deferred:
            pass  # parked: the record lives on in parked_events, its partition flows on
        except DeadLetterFailed:
            await msg.nack()
            return
        await msg.ack()

    async def apply(self, record: Any, live: bool) -> bool:
        """Applies one record (read now, or parked earlier); False when it is (still) parked."""
        event_type, handler = self.routes[record.topic]
        if record.value is None:
            return True  # a Kafka tombstone (compaction housekeeping on the key topic), not an event
        try:
            event = event_type.model_validate_json(record.value)
        except ValidationError as exc:
            await self._dead_letter(record, f"undecodable {event_type.__name__}: {_summary(exc)}", attempts=0)
            return True
        token = correlation_id.set(str(event.correlation_id))
        try:
            if await self.inbox.seen(event.event_id):
                self.metrics.duplicates.labels(record.topic).inc()
                return True
            try:
                error = await self._run_with_retries(event, handler, record.topic)
            except Deferred as deferred:
                if self.parked is None:  # a consumer built without a store to park in
                    await self._dead_letter(record, f"deferred, nowhere to park: {deferred}", 1)
                    return True
                if live:
                    await self.parked.park(record, deferred.awaiting, deferred.reason)
                    self.metrics.parked.labels(record.topic).inc()
                    log.info("parked %s %s from %s: %s", event.event_type, event.event_id, record.topic, deferred)
                raise
            except Dropped as dropped:
                self.metrics.dropped.labels(record.topic, dropped.reason).inc()
                log.warning("dropped %s %s from %s: %s", event.event_type, event.event_id, record.topic, dropped)
                await self.inbox.record(event.event_id, record.topic)
                return True
            if error is None:
                await self.inbox.record(event.event_id, record.topic)
                self.metrics.consumed.labels(record.topic).inc()
                log.info("processed %s %s from %s", event.event_type, event.event_id, record.topic)
            else:
                await self._dead_letter(record, f"handler failed after {self.max_attempts} attempts: {error!r}",
                                        self.max_attempts)
            return True
        finally:
            correlation_id.reset(token)

    async def _run_with_retries(self, event: E, handler: Handler[E], topic: str) -> Exception | None:
        error: Exception | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await handler(event)
                return None
            except (Deferred, Dropped):
                raise  # not a failure: nothing to retry
            except Exception as exc:
                error = exc
                log.warning("handler attempt %d/%d on %s failed: %r", attempt, self.max_attempts, topic, exc)
                if attempt < self.max_attempts:
                    self.metrics.retries.labels(topic).inc()
                    await asyncio.sleep(self.backoff_ms * attempt / 1000)
        return error

    async def _dead_letter(self, record: Any, reason: str, attempts: int) -> None:
        try:
            target = await dead_letter(self.broker, self.service, record, reason, attempts)
        except Exception as exc:
            log.exception("dead-letter publish failed; %s is read again", record.topic)
            raise DeadLetterFailed(reason) from exc
        self.metrics.dead_lettered.labels(record.topic, reason.split(":")[0][:40]).inc()
        log.error("message from %s sent to %s: %s", record.topic, target, reason)

    async def release(self, awaiting: str) -> None:
        """What arrived lets the events parked for it be applied now (or dropped)."""
        if self.parked is not None:
            async with self.replaying:
                for doc in await self.parked.awaiting(awaiting):
                    await self._replay(doc)

    async def sweep(self) -> None:
        """Retries parked events that are due (a release can race a park); dead-letters the overdue."""
        if self.parked is None:
            return
        async with self.replaying:
            for doc in await self.parked.due():
                if waited_s(doc) > self.parked_max_s:
                    await self._dead_letter(record_of(doc), f"parked {waited_s(doc):.0f} s, still {doc['reason']}",
                                            doc["tries"])
                    await self.parked.remove(doc)
                else:
                    await self._replay(doc)
            self.metrics.parked_waiting.set(await self.parked.count())

    async def sweep_forever(self, interval_s: float = 1.0) -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self.sweep()
            except Exception as exc:  # the store is away: the next sweep tries again
                log.warning("sweeping parked events failed: %r", exc)

    async def _replay(self, doc: dict[str, Any]) -> None:
        assert self.parked is not None
        try:
            await self.apply(record_of(doc), live=False)
        except Deferred as deferred:
            await self.parked.still_waiting(doc, deferred.awaiting, deferred.reason)
            return
        except DeadLetterFailed:
            return  # stays parked; the sweep tries again
        await self.parked.remove(doc)


def _summary(exc: ValidationError) -> str:
    first = exc.errors()[:3]
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '<body>'}: {e['msg']}" for e in first)
