"""Profile: the store commands one polled batch of PairCreated costs scheduling, in order (issue 14).

On a real FerretDB (BINOME_MONGO_PORT, a throwaway database), scheduling's real consumer and unit of
work: a programme is registered and the members' keys stored, then `--pairs` PairCreated are delivered
in one polled batch and the outbox relay runs once. Every store command is listed (command,
collection, how many were in flight when it started: 1 = it waited alone) and counted per pair.

    PYTHONPATH=.:services uv run python -m bench.pair_created_trips [--pairs 1] [--list]
"""

import argparse
import asyncio
import os
import uuid
from collections import Counter

from aiokafka import ConsumerRecord
from faststream.kafka.message import KafkaAckableMessage
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient, monitoring

from scheduling.adapters.mongo_unit_of_work import MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.entrypoints.consumers import build_kafka_router
from shared.contracts import topic_for
from shared.messaging.consumer import EventConsumer
from shared.messaging.inbox import Inbox
from shared.messaging.outbox_relay import OutboxRelay
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.messaging import RecordingBroker, RecordingConsumer


class Trips(monitoring.CommandListener):
    def __init__(self) -> None:
        self.log: list[tuple[str, str, int]] = []
        self.in_flight = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.in_flight += 1
        self.log.append((event.command_name, str(event.command.get(event.command_name, "")), self.in_flight))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self.in_flight -= 1

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self.in_flight -= 1


def records(events: list) -> tuple:
    return tuple(ConsumerRecord(topic_for(e), 0, i, 0, 0, e.partition_key.encode(), e.model_dump_json().encode(),
                                None, 1, 1, []) for i, e in enumerate(events))


async def run(pairs: int, listing: bool) -> None:
    trips = Trips()
    client = AsyncMongoClient(f"mongodb://127.0.0.1:{os.environ.get('BINOME_MONGO_PORT', '27017')}/",
                              event_listeners=[trips])
    db = client[f"trips_{uuid.uuid4().hex[:8]}"]
    try:
        await ensure_indexes(db)
        metrics = DeliveryMetrics.on(CollectorRegistry())
        consumer = EventConsumer("scheduling", RecordingBroker(), Inbox(db), metrics, backoff_ms=0)
        relay = OutboxRelay(db, ["pairs"], lambda entry: asyncio.sleep(0), metrics)
        build_kafka_router(consumer, lambda: MongoSchedulingUnitOfWork(db, relay.wake))
        programme = factories.programme_launched()
        created = [factories.pair_created(programme.programme_id) for _ in range(pairs)]
        kafka = RecordingConsumer()
        for batch in ([programme], factories.keys_for(*created)):
            await consumer.deliver(KafkaAckableMessage(raw_message=records(batch), body=[], consumer=kafka))
        await relay.run_once()
        trips.log.clear()
        await consumer.deliver(KafkaAckableMessage(raw_message=records(created), body=[], consumer=kafka))
        handled = len(trips.log)
        await relay.run_once()
        if listing:
            for n, (command, collection, in_flight) in enumerate(trips.log, start=1):
                print(f"{n:3} {'relay' if n > handled else 'consumer'} {command} {collection} (in flight {in_flight})")
        counts = Counter(c for c, _, _ in trips.log)
        waits = sum(1 for _, _, f in trips.log if f == 1)
        print(f"{pairs} PairCreated in one batch: {len(trips.log) / pairs:.1f} store commands per pair "
              f"({handled / pairs:.1f} consumer, {(len(trips.log) - handled) / pairs:.1f} relay; {dict(counts)}); "
              f"{waits} started with nothing else in flight")
    finally:
        await client.drop_database(db.name)
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=1)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args.pairs, args.list))


if __name__ == "__main__":
    main()
