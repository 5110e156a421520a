"""Delivering one record at a time: the shared consumer's careful path (see consumer.py).

Used for a record polled alone, and from the first record of a batch that the batch path could not
finish: a put-back (`Deferred`), an outage, or what follows them. Each record is checked in the inbox,
handled with bounded retries, dead-lettered or recorded, and committed up to itself; an outage is
retried in place for `transient_retry_s`, then the record is rewound and polled again.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from uuid import UUID

from aiokafka import ConsumerRecord, TopicPartition
from faststream.kafka import KafkaBroker

from shared.contracts import IntegrationEvent
from shared.contracts.topics import compacted
from shared.messaging.applied_memory import AppliedMemory
from shared.messaging.consume_spans import ConsumeSpans
from shared.messaging.dead_letter import dead_letter
from shared.messaging.deferrals import Deferrals
from shared.messaging.delivery_state import DeliveryState
from shared.messaging.failures import transient_dependency
from shared.messaging.inbox import Inbox
from shared.messaging.outcomes import Deferred, Dropped
from shared.messaging.raw_records import decode_event, where
from shared.messaging.record_handle import RecordHandle
from shared.mongo.erasure_batch import reread_epoch
from shared.observability.logging import correlation_id
from shared.observability.metrics import DeliveryMetrics

E = TypeVar("E", bound=IntegrationEvent)
Handler = Callable[[E], Awaitable[None]]
Outcome = Literal["done", "put back", "rewound"]
Applied = Literal["applied", "dropped"] | None  # None: dead-lettered, nothing to record
log = logging.getLogger(__name__)


@dataclass
class RecordDelivery:
    service: str
    broker: KafkaBroker
    inbox: Inbox
    metrics: DeliveryMetrics
    max_attempts: int = 3
    backoff_ms: int = 200
    transient_retry_s: float = 30.0
    transient_backoff_max_ms: int = 5000
    state: DeliveryState = field(default_factory=DeliveryState)
    deferrals: Deferrals = field(default_factory=Deferrals)
    spans: ConsumeSpans = field(default_factory=ConsumeSpans)
    memory: AppliedMemory = field(default_factory=AppliedMemory)  # the rebalance listener (inbox.py: why)
    stopping: bool = False

    async def deliver_one(self, msg: RecordHandle, event_type: type[IntegrationEvent],
                          handler: Handler[Any]) -> Outcome:
        with self.spans.record(msg.raw_message):
            return await self._deliver_one(msg, event_type, handler)

    async def _deliver_one(self, msg: RecordHandle, event_type: type[IntegrationEvent],
                           handler: Handler[Any]) -> Outcome:
        record = msg.raw_message
        if record.value is None and compacted(record.topic):
            await self._commit(msg)  # compaction housekeeping (the key topic's roll), not an event
            return "done"
        event, problem = decode_event(record, event_type)
        if event is None:
            return await self._until_done(msg, lambda: self._dead_letter(record, problem, attempts=0))
        token = correlation_id.set(str(event.correlation_id))
        try:
            return await self._until_done(msg, lambda: self._process(record, event, handler))
        finally:
            correlation_id.reset(token)

    async def _process(self, record: ConsumerRecord, event: IntegrationEvent, handler: Handler[Any]) -> None:
        partition = TopicPartition(record.topic, record.partition)
        if await self._seen([(partition, event)]):
            self.metrics.duplicates.labels(record.topic).inc()
            return
        applied = await self._apply(record, event, handler)
        if applied is not None:
            await self.inbox.record(event.event_id, record.topic)
            self.memory.remember(partition, event.event_id)
        if applied == "applied":
            self.metrics.consumed.labels(record.topic).inc()
            self._processed(record, event)

    async def _seen(self, events: list[tuple[TopicPartition, IntegrationEvent]]) -> set[UUID]:
        """The ids applied before: what the memory knows, and what the store's inbox says of the rest."""
        answers = {e.event_id: self.memory.answer(partition, e.event_id, e.occurred_at) for partition, e in events}
        unknown = [(e.event_id, e.occurred_at) for _, e in events if answers[e.event_id] == "unknown"]
        found = await self.inbox.seen_many(unknown) if unknown else set()
        return found | {event_id for event_id, answer in answers.items() if answer == "applied"}

    async def _apply(self, record: ConsumerRecord, event: IntegrationEvent, handler: Handler[Any]) -> Applied:
        """Runs the handler with bounded retries; dead-letters the record when it keeps failing.
        Raises `Deferred` (to put the record back) and outages (to wait them out)."""
        try:
            error = await self._run_with_retries(event, handler, record)
        except Dropped as dropped:
            self.metrics.dropped.labels(record.topic, dropped.reason).inc()
            log.warning("dropped %s %s from %s: %s", event.event_type, event.event_id, where(record), dropped)
            return "dropped"
        except Deferred as deferred:
            waited = self.deferrals.waited_s(record)
            if waited <= self.deferrals.max_wait_s:
                raise
            await self._dead_letter(record, f"deferred for {waited:.0f} s, still {deferred.reason}", 1)
            return None
        if error is not None:
            await self._dead_letter(record, f"handler failed after {self.max_attempts} attempts: {error!r}",
                                    self.max_attempts)
            return None
        return "applied"

    def _processed(self, record: ConsumerRecord, event: IntegrationEvent) -> None:
        # The batch path logs after its handlers ran, outside each event's context: the line names its own flow.
        token = correlation_id.set(str(event.correlation_id))
        try:
            log.info("processed %s %s from %s", event.event_type, event.event_id, where(record))
        finally:
            correlation_id.reset(token)

    async def _run_with_retries(self, event: E, handler: Handler[E], record: ConsumerRecord) -> Exception | None:
        error: Exception | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await handler(event)
                return None
            except (Deferred, Dropped):
                raise  # not a failure: nothing to retry
            except Exception as exc:
                reread_epoch()  # its retry is a new unit of work (shared/mongo/erasure_cache.py)
                if transient_dependency(exc):
                    raise  # an outage is not the message's fault: wait for the dependency instead
                error = exc
                log.warning("handler attempt %d/%d on %s failed: %r", attempt, self.max_attempts, where(record), exc)
                if attempt < self.max_attempts:
                    self.metrics.retries.labels(record.topic).inc()
                    await asyncio.sleep(self.backoff_ms * attempt / 1000)
        return error

    async def _until_done(self, msg: RecordHandle, step: Callable[[], Awaitable[None]]) -> Outcome:
        record: ConsumerRecord = msg.raw_message
        started, delay = time.monotonic(), 0.2
        while True:
            try:
                await step()
            except Deferred as deferred:
                pause_s = await self.deferrals.put_back(msg)
                self.metrics.deferred.labels(record.topic).inc()
                log.info("%s put back, read again in %.2f s: %s", where(record), pause_s, deferred)
                return "put back"
            except Exception as exc:
                dependency = transient_dependency(exc) or "unknown"
                self.state.waiting(dependency, exc)
                self.metrics.transient_failures.labels(record.topic, dependency).inc()
                log.warning("%s unavailable while delivering %s: %r; retrying", dependency, where(record), exc)
                if self.stopping or time.monotonic() - started + delay > self.transient_retry_s:
                    await self._rewind(msg)
                    return "rewound"
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.transient_backoff_max_ms / 1000)
            else:
                self.state.flowing()
                self.deferrals.done(record)
                await self._commit(msg)
                return "done"

    async def _commit(self, msg: RecordHandle) -> None:
        # The effect is stored: a failed commit only means a redelivery, which the inbox absorbs.
        try:
            await msg.ack()
        except Exception as exc:
            self.metrics.commit_failures.inc()
            log.warning("offset commit after %s failed (a redelivery will be absorbed): %r", where(msg.raw_message),
                        exc)

    async def _rewind(self, msg: RecordHandle) -> None:
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
