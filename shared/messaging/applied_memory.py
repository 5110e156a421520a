"""What a consumer process applied on each partition since it was assigned it: the inbox's memory.

It answers, without the store, whether an event could have been applied before (inbox.py gives the
argument): `applied` when this process recorded it since the partition's start `since`, `fresh` when
it occurred after `since` + `clock_skew` and is not remembered, `unknown` otherwise (the store says).
It is the consumer's rebalance listener: a partition revoked is forgotten (its next owner may apply
events this process never sees), one assigned starts empty at the assignment's time. A partition
holding `per_partition` ids is emptied and starts again now: memory stays bounded, and only events
that occurred before the new start are looked up in the store.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID

from aiokafka import ConsumerRebalanceListener, TopicPartition

Answer = Literal["applied", "fresh", "unknown"]
PER_PARTITION = 20_000  # ids (~2 MB): far more than a partition's events between two polls


class AppliedMemory(ConsumerRebalanceListener):
    def __init__(self, clock_skew: timedelta = timedelta(seconds=5), per_partition: int = PER_PARTITION,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.clock_skew, self.per_partition, self.clock = clock_skew, per_partition, clock
        self._since: dict[TopicPartition, datetime] = {}
        self._applied: dict[TopicPartition, set[UUID]] = {}

    def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        for partition in revoked:
            self._since.pop(partition, None)
            self._applied.pop(partition, None)

    def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        now = self.clock()
        for partition in assigned:  # even one held before: start again, as if another member had had it
            self._start(partition, now)

    def _start(self, partition: TopicPartition, now: datetime) -> None:
        self._since[partition], self._applied[partition] = now, set()

    def answer(self, partition: TopicPartition, event_id: UUID, occurred_at: datetime | None) -> Answer:
        since = self._since.get(partition)
        if since is None:
            return "unknown"  # not assigned as far as this memory knows: the store decides
        if event_id in self._applied[partition]:
            return "applied"
        if occurred_at is not None and occurred_at > since + self.clock_skew:
            return "fresh"
        return "unknown"

    def remember(self, partition: TopicPartition, event_id: UUID) -> None:
        """Called once the id is recorded in the store's inbox (never before: a failed insert must leave
        the store as the only judge, as it was)."""
        applied = self._applied.get(partition)
        if applied is None:
            return  # revoked meanwhile: its next assignment starts empty
        if len(applied) >= self.per_partition:
            self._start(partition, self.clock())
            applied = self._applied[partition]
        applied.add(event_id)

    def remembered(self, partition: TopicPartition) -> int:
        return len(self._applied.get(partition, ()))
