"""What each service's OperationsMonitor refreshes: consumer lag, outbox age, dependencies, business."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from shared.messaging.kafka_security import KafkaCredentials
from shared.observability.business import BusinessGauges, Figure, ReadFigures
from shared.observability.consumer_lag import ConsumerLagReader
from shared.observability.http import Probe, answers
from shared.observability.monitor import OperationsMonitor
from shared.observability.outbox_age import oldest_pending_age_s
from shared.settings import BaseServiceSettings


def watch_business(monitor: OperationsMonitor, db: AsyncDatabase, figures: Sequence[Figure], read: ReadFigures,
                   max_programmes: int) -> None:
    gauges = BusinessGauges(monitor.registry, figures, max_programmes)

    async def refresh() -> None:
        gauges.show(await read(db))

    monitor.add("business", refresh)


def watch_operations(monitor: OperationsMonitor, outbox_markers: AsyncCollection, probes: dict[str, Probe]) -> None:
    async def outbox() -> None:
        monitor.outbox_age.set(await oldest_pending_age_s(outbox_markers))

    async def dependencies() -> None:
        for name, probe in probes.items():
            monitor.dependency_up.labels(name).set(1 if await answers(probe, 3.0) else 0)

    monitor.add("outbox", outbox)
    monitor.add("dependencies", dependencies)


async def start_lag_watch(monitor: OperationsMonitor, settings: BaseServiceSettings,
                          topics: list[str]) -> ConsumerLagReader | None:
    """The service's own consumer group (its name) on the topics it consumes; None if it consumes none."""
    if not topics:
        return None
    # The service's own principal: it may describe its group and read the topics it consumes.
    reader = ConsumerLagReader(settings.kafka_bootstrap_servers, settings.service_name, topics,
                               **KafkaCredentials.of(settings).client_kwargs())
    await reader.start()

    async def lag() -> None:
        monitor.consumer_lag.show(reader.group, await reader.read())

    monitor.add("consumer_lag", lag)
    return reader


@contextlib.asynccontextmanager
async def watching(monitor: OperationsMonitor, settings: BaseServiceSettings, topics: list[str]) -> AsyncIterator[None]:
    """The monitor's background refresh for the life of the service (nothing when metrics are off)."""
    if not settings.metrics_enabled:
        yield
        return
    reader = await start_lag_watch(monitor, settings, topics)
    task = asyncio.create_task(monitor.run_forever(), name="operations-monitor")
    try:
        yield
    finally:
        monitor.stop()
        try:
            await task
        finally:  # also when the service's shutdown cancels us while the monitor finishes its round
            if reader is not None:
                await reader.close()
