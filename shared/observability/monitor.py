"""The figures a service refreshes in the background for Prometheus: consumer lag, outbox age,
dependency health and its business gauges. Each refresh is independent: one failing (Kafka down,
say) leaves the others' figures current and is logged, never raised."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Gauge

from shared.observability.consumer_lag import ConsumerLagGauges

log = logging.getLogger(__name__)
Refresh = Callable[[], Awaitable[None]]


@dataclass
class OperationsMonitor:
    registry: CollectorRegistry
    interval_s: float = 15.0
    refreshes: dict[str, Refresh] = field(default_factory=dict)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.dependency_up = Gauge("binome_dependency_up", "1 when the service reaches the dependency (as /health)",
                                   ["dependency"], registry=self.registry)
        self.consumer_lag = ConsumerLagGauges(self.registry)
        self.outbox_age = Gauge("binome_outbox_oldest_pending_age_seconds",
                                "Age of the oldest event not yet published from the outbox (0 when none)",
                                registry=self.registry)

    def add(self, name: str, refresh: Refresh) -> None:
        self.refreshes[name] = refresh

    async def refresh_once(self) -> None:
        names = list(self.refreshes)
        results = await asyncio.gather(*(self.refreshes[n]() for n in names), return_exceptions=True)
        for name, result in zip(names, results, strict=True):
            if isinstance(result, Exception):
                log.warning("metrics refresh %s failed: %r", name, result)

    async def run_forever(self) -> None:
        self._stopping.clear()
        while not self._stopping.is_set():
            await self.refresh_once()
            try:
                await asyncio.wait_for(self._stopping.wait(), self.interval_s)
            except TimeoutError:
                pass

    def stop(self) -> None:
        self._stopping.set()
