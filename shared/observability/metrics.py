"""Delivery metrics every service exposes, on the service's own registry."""

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge


@dataclass(frozen=True)
class DeliveryMetrics:
    consumed: Counter
    duplicates: Counter
    retries: Counter
    dead_lettered: Counter
    outbox_published: Counter
    outbox_pending: Gauge
    parked: Counter
    parked_waiting: Gauge
    dropped: Counter

    @classmethod
    def on(cls, registry: CollectorRegistry) -> "DeliveryMetrics":
        return cls(
            consumed=Counter(
                "binome_events_consumed_total", "Events whose effect was stored", ["topic"], registry=registry
            ),
            duplicates=Counter(
                "binome_duplicate_deliveries_total",
                "Events skipped because their event_id was already processed",
                ["topic"],
                registry=registry,
            ),
            retries=Counter(
                "binome_consumer_retries_total", "Handler attempts that failed and were retried", ["topic"],
                registry=registry,
            ),
            dead_lettered=Counter(
                "binome_dead_lettered_total", "Messages sent to a dead-letter topic", ["topic", "reason"],
                registry=registry,
            ),
            outbox_published=Counter(
                "binome_outbox_published_total", "Outbox events published to Kafka", ["topic"], registry=registry
            ),
            outbox_pending=Gauge(
                "binome_outbox_pending_documents", "Aggregate documents with unpublished events",
                registry=registry,
            ),
            parked=Counter(
                "binome_events_parked_total", "Events parked until what they await arrives (e.g. a data key)",
                ["topic"], registry=registry,
            ),
            parked_waiting=Gauge(
                "binome_parked_events", "Events parked now, waiting (counted by the sweep)", registry=registry,
            ),
            dropped=Counter(
                "binome_events_dropped_total", "Events deliberately not applied (e.g. their person was erased)",
                ["topic", "reason"], registry=registry,
            ),
        )

    def expect(self, topics: list[str]) -> None:
        """Zero series for every consumed topic, so rates and alerts see a 0 rather than nothing."""
        for topic in topics:
            for counter in (self.consumed, self.duplicates, self.retries):
                counter.labels(topic)
