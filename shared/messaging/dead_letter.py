"""Dead-letter topic `dlq.<consumer>.<topic>`: the original bytes, plus why and where they failed."""

from datetime import UTC, datetime

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from shared.contracts import dlq_topic

REASON_HEADER = "x-dlq-reason"


async def dead_letter(broker: KafkaBroker, consumer: str, msg: KafkaMessage, reason: str, attempts: int) -> str:
    record = msg.raw_message
    topic = dlq_topic(consumer, record.topic)
    headers = {
        **{k: v for k, v in msg.headers.items() if isinstance(v, str)},
        REASON_HEADER: reason[:2000],
        "x-dlq-consumer": consumer,
        "x-dlq-source-topic": record.topic,
        "x-dlq-source-partition": str(record.partition),
        "x-dlq-source-offset": str(record.offset),
        "x-dlq-attempts": str(attempts),
        "x-dlq-failed-at": datetime.now(UTC).isoformat(),
    }
    await broker.publish(msg.body, topic=topic, key=record.key, headers=headers)
    return topic
