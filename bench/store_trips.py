"""What the store-trip profiles share (bench.pair_created_trips, bench.feedback_trips): a service's real
consumer, unit of work and outbox relay on a throwaway database of the local FerretDB, with every store
command recorded in order (command, collection, how many were in flight when it started)."""

import asyncio
import contextlib
import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient, monitoring
from pymongo.asynchronous.database import AsyncDatabase

from shared.messaging.consumer import EventConsumer
from shared.messaging.inbox import Inbox
from shared.messaging.outbox_relay import OutboxRelay
from shared.observability.metrics import DeliveryMetrics
from tests.fakes.messaging import RecordingBroker, RecordingConsumer, polled


class Trips(monitoring.CommandListener):
    def __init__(self) -> None:
        self.log: list[tuple[str, str, int]] = []
        self.in_flight = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.in_flight += 1
        collection = event.command.get("collection" if event.command_name == "getMore" else event.command_name, "")
        self.log.append((event.command_name, str(collection), self.in_flight))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self.in_flight -= 1

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self.in_flight -= 1


@dataclass
class CountedService:
    trips: Trips
    consumer: EventConsumer
    relay: OutboxRelay
    kafka: RecordingConsumer

    async def deliver(self, events: list) -> None:
        """The events as one polled batch, each record keyed by its event's partition key."""
        await self.consumer.deliver(polled(*events, key=None, consumer=self.kafka))

    async def batch_then_relay(self, events: list) -> int:
        """Delivers the batch after a relay pass (so earlier outboxes are not counted) and relays once
        more; returns how many of the trips logged since were the consumer's (the rest are the relay's)."""
        await self.relay.run_once()
        self.trips.log.clear()
        await self.deliver(events)
        handled = len(self.trips.log)
        await self.relay.run_once()
        return handled

    def listing(self, handled: int) -> None:
        for n, (command, collection, in_flight) in enumerate(self.trips.log, start=1):
            print(f"{n:3} {'relay' if n > handled else 'consumer'} {command} {collection} (in flight {in_flight})")

    def counts(self) -> dict[str, int]:
        return dict(Counter(c for c, _, _ in self.trips.log))


@contextlib.asynccontextmanager
async def throwaway_database() -> AsyncIterator[tuple[AsyncDatabase, Trips]]:
    """A database of its own on the local FerretDB, every command through its client recorded; dropped after."""
    trips = Trips()
    client = AsyncMongoClient(f"mongodb://127.0.0.1:{os.environ.get('BINOME_MONGO_PORT', '27017')}/",
                              tz_aware=True, event_listeners=[trips])
    db = client[f"trips_{uuid.uuid4().hex[:8]}"]
    try:
        yield db, trips
    finally:
        await client.drop_database(db.name)
        await client.close()


@contextlib.asynccontextmanager
async def counted_service(service: str, ensure_indexes: Callable[[AsyncDatabase], Awaitable[Any]],
                          collections: list[str], build_kafka_router: Callable[..., Any],
                          unit_of_work: Callable[[AsyncDatabase, Callable[[], None]], Any],
                          ) -> AsyncIterator[CountedService]:
    async with throwaway_database() as (db, trips):
        await ensure_indexes(db)
        metrics = DeliveryMetrics.on(CollectorRegistry())
        consumer = EventConsumer(service, RecordingBroker(), Inbox(db), metrics, backoff_ms=0)
        relay = OutboxRelay(db, collections, lambda entry: asyncio.sleep(0), metrics)
        build_kafka_router(consumer, lambda: unit_of_work(db, relay.wake))
        yield CountedService(trips, consumer, relay, RecordingConsumer())
