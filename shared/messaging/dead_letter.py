"""Dead-letter topic `dlq.<consumer>.<topic>`: the original bytes, plus why and where they failed."""

import base64
from datetime import UTC, datetime

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from shared.contracts import dlq_topic
from shared.messaging.raw_records import decode_headers

REASON_HEADER = "x-dlq-reason"
# A header value that is not UTF-8 travels base64-encoded under this prefix (FastStream publishes text).
BINARY_HEADER_PREFIX = "x-dlq-b64-"


async def dead_letter(broker: KafkaBroker, consumer: str, record: ConsumerRecord, reason: str, attempts: int) -> str:
    topic = dlq_topic(consumer, record.topic)
    text, binary = decode_headers(record)
    raw = dict(record.headers or [])
    headers = {
        **text,
        **{f"{BINARY_HEADER_PREFIX}{name}": base64.b64encode(raw[name]).decode() for name in binary},
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
