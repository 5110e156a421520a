"""Dead-letter topic `dlq.<consumer>.<topic>`: the original bytes, plus why and where they failed."""

from datetime import UTC, datetime
from typing import Any

from faststream.kafka import KafkaBroker

from shared.contracts import dlq_topic

REASON_HEADER = "x-dlq-reason"


async def dead_letter(broker: KafkaBroker, consumer: str, record: Any, reason: str, attempts: int) -> str:
    """`record`: aiokafka's ConsumerRecord as read, or a parked copy of one (topic, partition, offset,
    key, value, headers)."""
    topic = dlq_topic(consumer, record.topic)
    original = {}
    for name, value in record.headers or []:
        if isinstance(value, bytes):
            try:
                original[str(name)] = value.decode("utf-8")
            except UnicodeDecodeError:
                continue  # FastStream publishes text headers only; the body is kept byte for byte
    headers = {
        **original,
        REASON_HEADER: reason[:2000],
        "x-dlq-consumer": consumer,
        "x-dlq-source-topic": record.topic,
        "x-dlq-source-partition": str(record.partition),
        "x-dlq-source-offset": str(record.offset),
        "x-dlq-attempts": str(attempts),
        "x-dlq-failed-at": datetime.now(UTC).isoformat(),
    }
    await broker.publish(record.value or b"", topic=topic, key=record.key, headers=headers)
    return topic
