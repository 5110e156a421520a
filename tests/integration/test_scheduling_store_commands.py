"""Scheduling's store round trips that repeat per polled batch (issue 14), counted on the real store with
pymongo's command listener: filing pairs in the ticker's agenda is one round trip however many hour
buckets they fall in, and the tick finds every pair filed; a run of pairs whose members this process
never met reads no calendar, and a stored calendar it forgot makes the run fall back, nobody booked twice."""

import uuid
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient, monitoring

from scheduling import handlers
from scheduling.adapters.agenda import MongoAgenda
from scheduling.adapters.calendars import MongoParticipantCalendars
from scheduling.adapters.mongo_unit_of_work import MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.adapters.pair_documents import pair_to_doc
from scheduling.domain.commands import Tick
from scheduling.domain.model import Timing
from scheduling.entrypoints.consumers import build_kafka_router
from shared.messaging.consumer import EventConsumer
from shared.messaging.inbox import Inbox
from shared.messaging.outbox_relay import OutboxRelay
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.messaging import RecordingBroker, polled
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling.builders import MONDAY, planned, programme


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.names: list[str] = []
        self.seen: set[tuple[str, str]] = set()  # (command, collection)
        self.sent: list[tuple[str, str, dict]] = []  # (command, collection, the command itself)

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.names.append(event.command_name)
        collection = str(event.command.get(event.command_name))
        if event.command_name == "getMore":
            collection = str(event.command.get("collection"))
        self.seen.add((event.command_name, collection))
        self.sent.append((event.command_name, collection, dict(event.command)))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None: ...

    def failed(self, event: monitoring.CommandFailedEvent) -> None: ...


async def test_filing_pairs_in_many_hours_is_one_round_trip_and_the_tick_finds_each(servers, db):
    uow = FakeSchedulingUnitOfWork()
    programme_id = await programme(uow)
    pairs = [await planned(uow, programme_id, not_before=MONDAY + timedelta(days=d)) for d in range(4)]
    now = MONDAY - timedelta(days=1)
    commands = Commands()
    client = AsyncMongoClient(servers.mongodb_url, tz_aware=True, event_listeners=[commands])
    try:
        agenda = MongoAgenda(client[db.name], Timing(), lambda: now)
        await agenda.file_many(pairs)
        assert commands.names == ["update"], "the buckets and `hours` in one bulk write"
        hours = (await db.tick_agenda.find_one({"_id": "hours"}))["hours"]
        assert len(hours) == len(pairs), "each pair's first reminder falls in its own hour"
        due = await agenda.due(datetime(2100, 1, 1, tzinfo=UTC), limit=100)
        assert {pair_id for pair_id, _ in due} == {p.pair_id for p in pairs}
    finally:
        await client.close()


async def test_a_tick_drops_the_entries_of_one_bucket_in_one_write_and_keeps_those_filed_anew(servers, db):
    uow = FakeSchedulingUnitOfWork()
    programme_id = await programme(uow)
    pairs = [await planned(uow, programme_id, not_before=MONDAY) for _ in range(3)]
    commands = Commands()
    client = AsyncMongoClient(servers.mongodb_url, tz_aware=True, event_listeners=[commands])
    try:
        agenda = MongoAgenda(client[db.name], Timing(), lambda: MONDAY - timedelta(days=1))
        await agenda.file_many(pairs)
        due = await agenda.due(datetime(2100, 1, 1, tzinfo=UTC), limit=100)
        assert len(due) == 3 and len({_hour_of(filed) for _, filed in due}) == 1, "one bucket holds all three"
        (first, filed_first), (second, filed_second), third = sorted(due)
        filed_anew = (datetime.fromisoformat(filed_second) + timedelta(seconds=1)).isoformat()
        assert _hour_of(filed_anew) == _hour_of(filed_second)
        stale = (second, filed_anew)  # the tick saw another instant than the one filed: the entry must stay
        commands.names.clear()
        await agenda.done_many([(first, filed_first), stale])
        assert commands.names == ["find", "update"], "one read and one write for the bucket"
        assert sorted(await agenda.due(datetime(2100, 1, 1, tzinfo=UTC), limit=100)) == [(second, filed_second), third]
        await agenda.done_many([(second, filed_second), third])
        assert await agenda.due(datetime(2100, 1, 1, tzinfo=UTC), limit=100) == []
        assert _hour_of(filed_first) not in (await db.tick_agenda.find_one({"_id": "hours"}))["hours"]
    finally:
        await client.close()


async def test_a_new_database_is_marked_seeded_at_start_and_one_with_older_pairs_is_left_to_the_first_tick(db):
    await ensure_indexes(db)
    assert (await db.tick_agenda.find_one({"_id": "hours"}))["seeded"] is True, "no pair: nothing to seed"
    older = db.client[f"{db.name}_older"]
    try:
        await older["pairs"].insert_one({"_id": "p-1", "status": "planned", "version": 1})  # stored before the agenda
        await ensure_indexes(older)
        assert not (await older.tick_agenda.find_one({"_id": "hours"}) or {}).get("seeded"), "the tick seeds it"
    finally:
        await db.client.drop_database(older.name)


async def test_an_older_databases_first_tick_files_its_active_pairs_in_one_unsorted_pass(servers, db):
    uow = FakeSchedulingUnitOfWork()
    programme_id = await programme(uow)
    pairs = [await planned(uow, programme_id, not_before=MONDAY + timedelta(hours=h)) for h in range(25)]
    pairs[-1].status = "dissolved"  # not active: nothing to file
    await ensure_indexes(db)  # still empty: marked seeded; the pairs below predate the agenda
    await db.tick_agenda.delete_many({})
    await db.pairs.insert_many([{**pair_to_doc(p), "version": 1, "outbox": []} for p in pairs])
    commands = Commands()
    client = AsyncMongoClient(servers.mongodb_url, tz_aware=True, event_listeners=[commands])
    try:
        now = MONDAY - timedelta(days=7)  # nothing due yet: the tick only seeds
        await handlers.tick(Tick(now, Timing(), uuid.uuid4(), batch=10),
                            MongoSchedulingUnitOfWork(client[db.name], lambda: None, clock=lambda: now))
        reads = [(name, command) for name, collection, command in commands.sent if collection == "pairs"]
        names = [name for name, _ in reads]
        assert names[:1] == ["find"] and set(names[1:]) <= {"getMore"} and len(names) <= 4, names
        assert not any("sort" in command or "_id" in command.get("filter", {}) for _, command in reads), \
            "one pass, no page sorted or started after an id"
        filed = [c for name, collection, c in commands.sent if (name, collection) == ("update", "tick_agenda")]
        assert len(filed) <= 3 + 1, "one bulk write per batch of 10 (and the seeded mark), not one per pair"
        assert (await db.tick_agenda.find_one({"_id": "hours"}))["seeded"] is True
        due = await MongoAgenda(db, Timing(), lambda: now).due(datetime(2100, 1, 1, tzinfo=UTC), limit=100)
        assert {pair_id for pair_id, _ in due} == {p.pair_id for p in pairs[:-1]}
    finally:
        await client.close()


def _hour_of(filed: str) -> str:
    return datetime.fromisoformat(filed).astimezone(UTC).strftime("%Y-%m-%dT%H")


async def test_a_run_of_new_members_reads_no_calendar_and_a_forgotten_stored_one_falls_back(servers, db):
    commands = Commands()
    client = AsyncMongoClient(servers.mongodb_url, tz_aware=True, event_listeners=[commands])
    counted = client[db.name]
    try:
        await ensure_indexes(counted)
        metrics = DeliveryMetrics.on(CollectorRegistry())
        consumer = EventConsumer("scheduling", RecordingBroker(), Inbox(counted), metrics, backoff_ms=0)
        relay = OutboxRelay(counted, ["pairs"], _published, metrics)
        build_kafka_router(consumer, lambda: MongoSchedulingUnitOfWork(counted, relay.wake))
        programme = factories.programme_launched()
        first = [factories.pair_created(programme.programme_id) for _ in range(3)]
        mentor = first[0].mentor
        later = [factories.pair_created(programme.programme_id, mentor=mentor),
                 factories.pair_created(programme.programme_id)]
        await consumer.deliver(polled(programme, *factories.keys_for(*first, *later), key=None))
        commands.names.clear()
        await consumer.deliver(polled(*first, key=None))
        assert ("find", "participant_calendars") not in commands.seen, "nobody in the run was met before"
        assert await db.participant_calendars.count_documents({}) == 2 * len(first)

        MongoParticipantCalendars._met_by_database.pop(counted)  # a restart: stored, not remembered
        commands.seen.clear()
        await consumer.deliver(polled(*later, key=None))  # the mentor's claim fails: one pair at a time
        assert ("find", "participant_calendars") in commands.seen, "the fallback read the calendars"
        await relay.run_once()
        stored = [await db.pairs.find_one({"_id": str(p.pair_id)}) for p in first + later]
        assert all(p is not None and p["status"] == "planned" for p in stored)
        bookings = (await db.participant_calendars.find_one({"_id": str(mentor.participant_id)}))["bookings"]
        assert {b["owner_id"] for b in bookings} == {str(first[0].pair_id), str(later[0].pair_id)}
        spans = sorted((b["starts_at"], b["ends_at"]) for b in bookings)
        assert len(spans) == 2 * programme.sessions_per_pair
        assert all(end <= start for (_, end), (start, _) in pairwise(spans)), "never twice at one time"
    finally:
        await client.close()


async def _published(entry: dict) -> None:
    pass
