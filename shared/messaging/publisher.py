"""Sends one outbox entry to Kafka, keyed by aggregate id, with the flow's correlation id and trace."""

from faststream.kafka import KafkaBroker

from shared.messaging.outbox_relay import Publish
from shared.observability.tracing import publishing_in


def kafka_publisher(broker: KafkaBroker) -> Publish:
    async def publish(entry: dict[str, str]) -> None:
        with publishing_in(entry.get("traceparent")):
            await broker.publish(
                entry["value"].encode(),
                topic=entry["topic"],
                key=entry["key"].encode(),
                headers={"content-type": "application/json", "event_type": entry["event_type"]},
                correlation_id=entry["correlation_id"],
            )

    return publish
