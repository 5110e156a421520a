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
    transient_failures: Counter
    rewinds: Counter
    commit_failures: Counter
    waiting: Gauge
    deferred: Counter
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
            transient_failures=Counter(
                "binome_consumer_transient_failures_total",
                "Deliveries that failed because a dependency was unreachable (retried, never dead-lettered)",
                ["topic", "dependency"], registry=registry,
            ),
            rewinds=Counter(
                "binome_consumer_rewinds_total", "Offsets rewound to read a message again after an outage",
                ["topic"], registry=registry,
            ),
            commit_failures=Counter(
                "binome_consumer_commit_failures_total", "Offset commits that failed after the effect was stored",
                registry=registry,
            ),
            waiting=Gauge(
                "binome_consumer_waiting_seconds",
                "How long the consumer has been waiting for an unreachable dependency (0 when flowing)",
                registry=registry,
            ),
            deferred=Counter(
                "binome_consumer_deferred_total",
                "Messages put back to be read again because what they need (a data key) has not arrived on its topic",
                ["topic"], registry=registry,
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
