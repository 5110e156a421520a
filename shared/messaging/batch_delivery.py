"""Delivering a polled batch together: the shared consumer's fast path (see consumer.py).

One inbox check for the batch (`Inbox.seen_many`), then each record in order: a duplicate absorbed,
a record bad in itself dead-lettered, an event applied by its use case with bounded retries (a
poison one dead-lettered alone), or, for a topic with a `handles_together` use case, its run of
consecutive fresh events applied by one call; then one inbox insert for what was applied and one
offset commit for what was delivered. It stops before the first record that is put back or meets an
outage and returns how many it delivered: the record path (record_delivery.py) takes the rest.
"""

import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from shared.contracts import IntegrationEvent
from shared.contracts.topics import compacted
from shared.messaging.raw_records import decode_event, where
from shared.messaging.record_delivery import Handler, RecordDelivery
from shared.messaging.record_handle import RecordHandle, commit_past
from shared.mongo.erasure_batch import reread_epoch
from shared.observability.logging import correlation_id

log = logging.getLogger(__name__)


@dataclass
class BatchDelivery(RecordDelivery):
    routes: dict[str, tuple[type[IntegrationEvent], Handler[Any]]] = field(default_factory=dict)
    together: dict[str, Callable[[list[Any]], Awaitable[None]]] = field(default_factory=dict)

    async def _deliver_together(self, handles: list[RecordHandle]) -> int:
        """Delivers the batch's leading records with one inbox check, one inbox insert and one commit;
        returns how many. It stops before a record that is put back or meets an outage."""
        decoded = [(h, *decode_event(h.raw_message, self.routes[h.raw_message.topic][0])) for h in handles]
        try:
            seen = await self._seen([(h.partition, e) for h, e, _ in decoded if e is not None])
        except Exception as exc:
            log.info("batch inbox check failed (%r): delivering one record at a time", exc)
            return 0
        outcome = _Together(seen)
        position = 0
        while position < len(decoded) and decoded[position][0].still_assigned():
            run = self._run_from(decoded, position, seen)
            try:
                if len(run) > 1:
                    await self._apply_run(run, outcome)
                else:
                    await self._deliver_in_batch(*decoded[position], outcome)
            except Exception as exc:  # put back or an outage: the careful path takes it from here
                log.info("batch delivery stops at %s (%r)", where(decoded[position][0].raw_message), exc)
                break
            position += max(len(run), 1)
        return await self._settle(handles, outcome)

    def _run_from(self, decoded: list, position: int, seen: set) -> list[tuple[RecordHandle, IntegrationEvent]]:
        """The fresh events of the consecutive records from `position` on that one call of their topic's
        `handles_together` use case can take (empty when the topic has none)."""
        topic = decoded[position][0].raw_message.topic
        if topic not in self.together:
            return []
        run, ids = [], set()
        for handle, event, _ in decoded[position:]:
            if handle.raw_message.topic != topic or event is None or event.event_id in seen or event.event_id in ids:
                break
            run.append((handle, event))
            ids.add(event.event_id)
        return run

    async def _apply_run(self, run: list[tuple[RecordHandle, IntegrationEvent]], outcome: "_Together") -> None:
        topic = run[0][0].raw_message.topic
        token = correlation_id.set(str(run[0][1].correlation_id))
        try:
            with self.spans.together([(handle.raw_message, event) for handle, event in run]):
                await self.together[topic]([event for _, event in run])
        except Exception as exc:  # one of them cannot be applied together: each is applied alone (idempotent)
            reread_epoch()
            log.info("%d events of %s applied one by one (%r)", len(run), topic, exc)
            for handle, event in run:
                await self._deliver_in_batch(handle, event, "", outcome)
            return
        finally:
            correlation_id.reset(token)
        for handle, event in run:
            outcome.applied_one(handle, event, "applied")

    async def _deliver_in_batch(self, handle: RecordHandle, event: IntegrationEvent | None, problem: str,
                                outcome: "_Together") -> None:
        with self.spans.record(handle.raw_message):
            await self._deliver_in_span(handle, event, problem, outcome)

    async def _deliver_in_span(self, handle: RecordHandle, event: IntegrationEvent | None, problem: str,
                               outcome: "_Together") -> None:
        record = handle.raw_message
        if record.value is None and compacted(record.topic):
            pass  # compaction housekeeping (the key topic's roll), not an event
        elif event is None:
            await self._dead_letter(record, problem, attempts=0)
        elif event.event_id in outcome.seen:
            self.metrics.duplicates.labels(record.topic).inc()
        else:
            token = correlation_id.set(str(event.correlation_id))
            try:
                applied = await self._apply(record, event, self.routes[record.topic][1])
            finally:
                correlation_id.reset(token)
            outcome.applied_one(handle, event, applied)
            return
        outcome.done.append(handle)

    async def _settle(self, handles: list[RecordHandle], outcome: "_Together") -> int:
        """Records the applied ids in one insert, then commits the delivered records' offsets at once."""
        try:
            await self.inbox.record_many([(e.event_id, h.raw_message.topic) for h, e in outcome.recorded])
        except Exception as exc:  # effects stored, ids not: delivered again one by one (idempotent effects)
            log.warning("batch inbox record failed (%r): delivering one record at a time", exc)
            return 0
        for handle, event in outcome.recorded:
            self.memory.remember(handle.partition, event.event_id)
        for topic, applied in Counter(h.raw_message.topic for h, _ in outcome.applied).items():
            self.metrics.consumed.labels(topic).inc(applied)  # one label lookup per topic of the batch
        for handle, event in outcome.applied:
            self._processed(handle.raw_message, event)
        for handle in outcome.done:
            self.deferrals.done(handle.raw_message)
        if outcome.done:
            self.state.flowing()
            try:
                await commit_past(handles[0].consumer, [h.raw_message for h in outcome.done])
            except Exception as exc:
                self.metrics.commit_failures.inc()
                log.warning("offset commit after a batch of %d failed (a redelivery will be absorbed): %r",
                            len(outcome.done), exc)
        return len(outcome.done)


@dataclass
class _Together:
    """What the batch path delivered so far: handles done, ids to record, events applied."""

    seen: set
    done: list[RecordHandle] = field(default_factory=list)
    recorded: list[tuple[RecordHandle, IntegrationEvent]] = field(default_factory=list)  # ids to record, then remember
    applied: list[tuple[RecordHandle, IntegrationEvent]] = field(default_factory=list)

    def applied_one(self, handle: RecordHandle, event: IntegrationEvent, applied: str | None) -> None:
        if applied is not None:
            self.seen.add(event.event_id)
            self.recorded.append((handle, event))
        if applied == "applied":
            self.applied.append((handle, event))
        self.done.append(handle)
