"""Profile: the store commands one polled batch of SessionScheduled costs feedback, in order (issue 14).

On a real FerretDB (BINOME_MONGO_PORT, a throwaway database), feedback's real consumer and unit of
work: `--pairs` pairs' `--sessions` SessionScheduled each are delivered in one polled batch (as
scheduling publishes them: a pair's sessions one after the other), then a batch of one
SessionCompleted per pair and the outbox relay runs once. Every store command is listed with
`--list` (command, collection, how many were in flight when it started) and counted per event.

    PYTHONPATH=.:services uv run python -m bench.feedback_trips [--pairs 8] [--sessions 6] [--list]
"""

import argparse
import asyncio
import os
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from faststream.kafka.message import KafkaAckableMessage
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient

from bench.pair_created_trips import Trips, records
from feedback.adapters.mongo_unit_of_work import COLLECTIONS, MongoFeedbackUnitOfWork, ensure_indexes
from feedback.entrypoints.consumers import build_kafka_router
from shared.contracts import SessionScheduled
from shared.messaging.consumer import EventConsumer
from shared.messaging.inbox import Inbox
from shared.messaging.outbox_relay import OutboxRelay
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.messaging import RecordingBroker, RecordingConsumer


def scheduled(pairs: int, sessions: int) -> list[SessionScheduled]:
    programme, start = uuid.uuid4(), datetime.now(UTC) + timedelta(days=7)
    events = []
    for _ in range(pairs):
        pair, mentor, mentee = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        events += [SessionScheduled(session_id=uuid.uuid4(), pair_id=pair, programme_id=programme, sequence=n,
                                    starts_at=start + timedelta(weeks=n), duration_minutes=60, mentor_id=mentor,
                                    mentee_id=mentee, module=n) for n in range(1, sessions + 1)]
    return events


def report(label: str, trips: list, events: int, handled: int, listing: bool) -> None:
    if listing:
        for n, (command, collection, in_flight) in enumerate(trips, start=1):
            print(f"{n:3} {'relay' if n > handled else 'consumer'} {command} {collection} (in flight {in_flight})")
    counts = Counter(c for c, _, _ in trips)
    print(f"{events} {label} in one batch: {len(trips) / events:.2f} store commands per event "
          f"({handled / events:.2f} consumer, {(len(trips) - handled) / events:.2f} relay; {dict(counts)})")


async def run(pairs: int, sessions: int, listing: bool) -> None:
    trips = Trips()
    client = AsyncMongoClient(f"mongodb://127.0.0.1:{os.environ.get('BINOME_MONGO_PORT', '27017')}/",
                              event_listeners=[trips])
    db = client[f"trips_{uuid.uuid4().hex[:8]}"]
    try:
        await ensure_indexes(db)
        metrics = DeliveryMetrics.on(CollectorRegistry())
        consumer = EventConsumer("feedback", RecordingBroker(), Inbox(db), metrics, backoff_ms=0)
        relay = OutboxRelay(db, list(COLLECTIONS), lambda entry: asyncio.sleep(0), metrics)
        build_kafka_router(consumer, lambda: MongoFeedbackUnitOfWork(db, relay.wake))
        kafka = RecordingConsumer()
        plans = scheduled(pairs, sessions)
        completed = [factories.session_completed(session_id=s.session_id, pair_id=s.pair_id,
                                                 programme_id=s.programme_id, mentor_id=s.mentor_id,
                                                 mentee_id=s.mentee_id) for s in plans[::sessions]]
        for label, batch in (("SessionScheduled", plans), ("SessionCompleted", completed)):
            await relay.run_once()
            trips.log.clear()
            await consumer.deliver(KafkaAckableMessage(raw_message=records(batch), body=[], consumer=kafka))
            handled = len(trips.log)
            await relay.run_once()
            report(label, trips.log, len(batch), handled, listing)
    finally:
        await client.drop_database(db.name)
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args.pairs, args.sessions, args.list))


if __name__ == "__main__":
    main()
