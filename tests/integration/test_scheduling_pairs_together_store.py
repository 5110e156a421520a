"""Consecutive PairCreated planned together, on the real store: every look-up a pair needs (its sessions,
its members' pairs, the ticker's agenda, the programme's index) and every calendar is written, the
pairs' events leave once; a calendar claimed by someone else between the run's read and its write makes
the run fall back to one pair at a time, and nobody is booked twice at one time."""

import uuid
from itertools import pairwise
from typing import ClassVar

from prometheus_client import CollectorRegistry
from pymongo.asynchronous.database import AsyncDatabase

from scheduling.adapters.mongo_unit_of_work import MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.adapters.repositories import pairs_index
from scheduling.domain.participant_calendar import ParticipantCalendar
from scheduling.entrypoints.consumers import build_kafka_router
from shared.messaging.consumer import EventConsumer
from shared.messaging.inbox import Inbox
from shared.messaging.outbox_relay import OutboxRelay
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.messaging import RecordingBroker, polled


class StaleOnce(MongoSchedulingUnitOfWork):
    """Reads one person's calendar as empty, once: as if someone claimed it right after the read."""

    stale: ClassVar[set[uuid.UUID]] = set()

    def __init__(self, db: AsyncDatabase, on_commit) -> None:
        super().__init__(db, on_commit)
        real_get = self.calendars.get

        async def get(participant_id: uuid.UUID) -> ParticipantCalendar:
            if participant_id in self.stale:
                self.stale.discard(participant_id)
                return ParticipantCalendar(participant_id)
            return await real_get(participant_id)

        self.calendars.get = get


async def deliver(consumer: EventConsumer, *events) -> None:
    await consumer.deliver(polled(*events, key=None))


async def test_a_run_of_pairs_is_planned_with_every_look_up_written_and_a_stale_calendar_falls_back(db):
    await ensure_indexes(db)
    metrics, published = DeliveryMetrics.on(CollectorRegistry()), []
    consumer = EventConsumer("scheduling", RecordingBroker(), Inbox(db), metrics, backoff_ms=0)
    relay = OutboxRelay(db, ["pairs"], lambda entry: _append(published, entry), metrics)
    build_kafka_router(consumer, lambda: StaleOnce(db, relay.wake))
    programme = factories.programme_launched()
    mentor = factories.pair_member()
    first = factories.pair_created(programme.programme_id, mentor=mentor)
    run = [factories.pair_created(programme.programme_id, mentor=mentor),
           *(factories.pair_created(programme.programme_id) for _ in range(3))]
    await deliver(consumer, programme, *factories.keys_for(first, *run))
    await deliver(consumer, first)  # the mentor's calendar exists before the run
    StaleOnce.stale = {mentor.participant_id}
    await deliver(consumer, *run)
    await relay.run_once()

    pairs = [await db.pairs.find_one({"_id": str(p.pair_id)}) for p in (first, *run)]
    assert all(p is not None and p["status"] == "planned" for p in pairs)
    sessions = programme.sessions_per_pair * len(pairs)
    assert len({e["event_id"] for e in published if e["event_type"] == "SessionScheduled"}) == sessions
    assert await db.session_pairs.count_documents({}) == sessions
    assert await db.outbox_markers.count_documents({}) == 0
    assert await pairs_index(db).count(programme.programme_id) == len(pairs)
    assert sorted((await db.participant_pairs.find_one({"_id": str(mentor.participant_id)}))["pair_ids"]) == sorted(
        [str(first.pair_id), str(run[0].pair_id)])
    filed = {p for bucket in await db.tick_agenda.find({"_id": {"$ne": "hours"}}).to_list() for p in bucket["due"]}
    assert filed >= {str(p.pair_id) for p in run}
    bookings = sorted((b["starts_at"], b["ends_at"]) for b in
                      (await db.participant_calendars.find_one({"_id": str(mentor.participant_id)}))["bookings"])
    assert len(bookings) == 2 * programme.sessions_per_pair
    assert all(end <= start for (_, end), (start, _) in pairwise(bookings)), "never twice at one time"


async def _append(published: list, entry: dict) -> None:
    published.append(entry)
