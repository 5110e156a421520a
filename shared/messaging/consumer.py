"""A service's one Kafka consumer: every consumed topic, at-least-once, inbox dedupe, bounded retries, DLQ.

- One subscriber (one consumer in the service's group) for all the service's topics; a join or
  leave rebalances one member, not one per topic.
- It polls up to `batch_max_records` records at once and delivers them together: ONE inbox check
  for the batch (in memory for events that occurred since the partition was assigned, inbox.py; the
  others' store lookups concurrent), each handler in the records' order, ONE inbox insert for
  what they applied, ONE offset commit (AckPolicy.MANUAL: offsets are committed only after the
  effects and their inbox records are stored). Duplicates, within the batch or seen before, are
  absorbed; a record bad in itself is dead-lettered alone and the others are applied once.
- A message bad in itself (undecodable header or body, wrong type, schema-invalid, a null value on a
  topic that is not compacted, or a handler that keeps failing after `max_attempts`) goes to
  `dlq.<service>.<topic>` and is then committed, so the partition flows.
- From the first record the batch path cannot finish (an outage, a put-back), the rest of the batch
  is delivered one record at a time (record_delivery.py): an outage (`failures.transient_dependency`)
  is no fault of the message: it is retried with back-off for `transient_retry_s`, then the record and
  every later one of the batch are rewound and polled again, until the dependency is back; never
  dead-lettered, never committed past; `state` shows the wait in /health and metrics.
- A handler that needs what another topic has not delivered yet (a data key) raises `Deferred`: the
  message is put back and read again later (deferrals.py), and the later records of its partition
  with it; one whose person was erased raises `Dropped`: counted and committed, never applied. A
  batch's records of compacted topics (the keys) are delivered first, so an event polled in the same
  batch as its key is not put back.
- The units of work of a batch share one read of the erasure epoch (shared/mongo/erasure_batch.py).
"""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiokafka import TopicPartition
from faststream import AckPolicy
from faststream.kafka import KafkaRouter
from faststream.kafka.annotations import KafkaMessage

from shared.contracts import IntegrationEvent, topic_for
from shared.contracts.topics import compacted
from shared.messaging.batch_delivery import BatchDelivery
from shared.messaging.polling import without_pause
from shared.messaging.raw_records import keep_raw_headers
from shared.messaging.record_delivery import Handler
from shared.messaging.record_handle import RecordHandle
from shared.mongo.erasure_batch import one_epoch_per_batch

E = TypeVar("E", bound=IntegrationEvent)
log = logging.getLogger(__name__)


async def _raw_body(msg: Any) -> Any:
    # Decoding is ours, so an undecodable message reaches our DLQ instead of FastStream's error path.
    return msg.body


@dataclass
class EventConsumer(BatchDelivery):
    options: dict[str, Any] = field(default_factory=lambda: {"auto_offset_reset": "earliest"})
    batch_max_records: int = 100
    batch_timeout_ms: int = 100  # the longest an idle poll waits before polling again
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

    def handles_together(self, event_type: type[E]) -> Callable[[Callable[[list[E]], Awaitable[None]]], Any]:
        """Registers a use case for consecutive fresh events of one type in a polled batch, applied as
        one (e.g. one decision for many enrollments). It must have the same effects as `handles` applied
        to each in order; when it raises, each event is applied alone by `handles`' use case."""

        def register(handler: Callable[[list[E]], Awaitable[None]]) -> Callable[[list[E]], Awaitable[None]]:
            if self.built:
                raise RuntimeError(f"{event_type.__name__} registered after the consumer was built")
            self.together[topic_for(event_type)] = handler
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
        batch = {"batch": True, "max_records": self.batch_max_records,
                 "batch_timeout_ms": self.batch_timeout_ms} if self.batch_max_records > 1 else {}
        subscriber = router.subscriber(
            *self.routes, ack_policy=AckPolicy.MANUAL, parser=keep_raw_headers, decoder=_raw_body, **batch,
            listener=self.memory,  # what it applied per partition since assigned: the inbox's memory (inbox.py)
            title=f"{self.service}{only}", **{**self.options, "group_id": self.service},
        )
        if batch:
            without_pause(subscriber)  # polling.py says why
        subscriber(self.deliver)
        self.built = True
        return router

    async def deliver(self, msg: KafkaMessage) -> None:
        """Delivers one polled batch (or one record): together, then one by one from where it must."""
        raw = msg.raw_message
        # Kafka orders records within a partition only: a batch's records of compacted topics (the data
        # keys other events are sealed under) go first, so an event polled with its key is opened at once
        # rather than put back for a pause. The sort is stable: each partition keeps its order.
        records = sorted(raw if isinstance(raw, tuple) else (raw,), key=lambda r: not compacted(r.topic))
        handles = [RecordHandle(record, msg.consumer) for record in records]
        with one_epoch_per_batch():  # one erasure epoch read for the batch (shared/mongo/erasure_batch.py)
            await self._deliver_all(handles)

    async def _deliver_all(self, handles: list[RecordHandle]) -> None:
        together = await self._deliver_together(handles) if len(handles) > 1 else 0
        rewound: set[TopicPartition] = set()
        for position, handle in enumerate(handles[together:], start=together):
            if handle.partition in rewound or not handle.still_assigned():
                continue  # its partition starts again at an earlier record, or is another member's now
            event_type, handler = self.routes[handle.raw_message.topic]
            outcome = await self.deliver_one(handle, event_type, handler)
            if outcome != "done":
                rewound.add(handle.partition)
            if outcome == "rewound":  # an outage: the rest of the batch waits for the next poll too
                for later in handles[position + 1:]:
                    if later.partition not in rewound:
                        rewound.add(later.partition)
                        await self._rewind(later)
                return
