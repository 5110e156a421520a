"""Enrollment consumes no events yet: it is where the flow starts."""

from faststream.kafka import KafkaRouter


def build_kafka_router() -> KafkaRouter:
    return KafkaRouter()
