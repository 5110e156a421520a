"""Makes compaction remove a destroyed data key from the key topic soon after an erasure.

Kafka never compacts the active segment and rolls a segment only when a record is appended, so the
destroyed marker would shield the old key record on a quiet topic. One segment period after a
marker is published, this appends a null record (a tombstone for a random, never-used key, itself
removed after delete.retention.ms) to every partition: the marker's segment closes and the cleaner
drops the key record at its next pass.
"""

import logging
import time
import uuid

from aiokafka import AIOKafkaProducer

from shared.contracts import ParticipantKey, topic_for
from shared.contracts.topics import topic_config
from shared.messaging.kafka_security import KafkaCredentials
from shared.messaging.outbox_relay import Publish
from shared.periodic import Periodic

TOPIC = topic_for(ParticipantKey)
log = logging.getLogger(__name__)


def destroys_a_key(entry: dict[str, str]) -> bool:
    return entry["topic"] == TOPIC and '"data_key":null' in entry["value"]


class KeyTopicRoller:
    def __init__(self, bootstrap_servers: str, credentials: KafkaCredentials) -> None:
        self.bootstrap_servers, self.credentials = bootstrap_servers, credentials
        self.period_s = int(topic_config(TOPIC)["segment.ms"]) / 1000 + 1
        self._due: float | None = time.monotonic() + self.period_s  # also once after a restart
        self.loop = Periodic("key-topic-roller", 1, self.roll_when_due)

    def watching(self, publish: Publish) -> Publish:
        async def publish_and_note(entry: dict[str, str]) -> None:
            await publish(entry)
            if destroys_a_key(entry):
                # At least one period after the latest marker, even if a roll was already due sooner: a roll
                # appended earlier lands in the marker's own segment and closes nothing.
                self._due = max(self._due or 0.0, time.monotonic() + self.period_s)

        return publish_and_note

    async def roll_when_due(self) -> None:
        if self._due is not None and time.monotonic() >= self._due:
            self._due = None
            try:
                await self.roll()
            except Exception:
                log.exception("could not roll %s; retrying later", TOPIC)
                self._due = time.monotonic() + self.period_s

    async def roll(self) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap_servers, acks="all",
                                    **self.credentials.client_kwargs())
        await producer.start()
        try:
            for partition in sorted(await producer.partitions_for(TOPIC)):
                await producer.send_and_wait(TOPIC, None, key=uuid.uuid4().bytes, partition=partition)
        finally:
            await producer.stop()

    async def start(self) -> None:
        self.loop.start()

    async def stop(self) -> None:
        await self.loop.stop()
