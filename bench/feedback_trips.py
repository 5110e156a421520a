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
import uuid
from datetime import UTC, datetime, timedelta

from bench.store_trips import counted_service
from feedback.adapters.mongo_unit_of_work import COLLECTIONS, MongoFeedbackUnitOfWork, ensure_indexes
from feedback.entrypoints.consumers import build_kafka_router
from shared.contracts import SessionScheduled
from tests import factories


def scheduled(pairs: int, sessions: int) -> list[SessionScheduled]:
    programme, start = uuid.uuid4(), datetime.now(UTC) + timedelta(days=7)
    events = []
    for _ in range(pairs):
        pair, mentor, mentee = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        events += [SessionScheduled(session_id=uuid.uuid4(), pair_id=pair, programme_id=programme, sequence=n,
                                    starts_at=start + timedelta(weeks=n), duration_minutes=60, mentor_id=mentor,
                                    mentee_id=mentee, module=n) for n in range(1, sessions + 1)]
    return events


async def run(pairs: int, sessions: int, listing: bool) -> None:
    async with counted_service("feedback", ensure_indexes, list(COLLECTIONS), build_kafka_router,
                               MongoFeedbackUnitOfWork) as service:
        plans = scheduled(pairs, sessions)
        completed = [factories.session_completed(session_id=s.session_id, pair_id=s.pair_id,
                                                 programme_id=s.programme_id, mentor_id=s.mentor_id,
                                                 mentee_id=s.mentee_id) for s in plans[::sessions]]
        for label, batch in (("SessionScheduled", plans), ("SessionCompleted", completed)):
            handled = await service.batch_then_relay(batch)
            if listing:
                service.listing(handled)
            events, trips = len(batch), len(service.trips.log)
            print(f"{events} {label} in one batch: {trips / events:.2f} store commands per event "
                  f"({handled / events:.2f} consumer, {(trips - handled) / events:.2f} relay; {service.counts()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args.pairs, args.sessions, args.list))


if __name__ == "__main__":
    main()
