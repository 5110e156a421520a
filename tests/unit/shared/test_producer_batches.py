"""Every service's producer batches up to 256 KiB per partition (shared/messaging/broker.py: why)."""

from prometheus_client import CollectorRegistry

from shared.messaging.broker import PRODUCER_BATCH_BYTES, make_broker
from shared.settings import BaseServiceSettings


def test_the_producer_batch_holds_a_relay_chunk_worth_of_events_and_stays_under_the_brokers_limit():
    broker = make_broker(BaseServiceSettings(service_name="x"), CollectorRegistry())

    # What FastStream passes to aiokafka's AIOKafkaProducer when the broker connects.
    producer = broker._connection_kwargs
    assert producer["max_batch_size"] == PRODUCER_BATCH_BYTES == 262_144  # aiokafka's default: 16,384
    assert PRODUCER_BATCH_BYTES < 1_048_588, "Kafka's default message.max.bytes: a bigger batch is refused"
    assert (producer["acks"], producer["enable_idempotence"]) == ("all", True), "durability kept"
