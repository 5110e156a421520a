"""Scheduling's store round trips that repeat per polled batch (issue 14), counted on the real store with
pymongo's command listener: filing pairs in the ticker's agenda is one round trip however many hour
buckets they fall in, and the tick finds every pair filed."""

from datetime import UTC, datetime, timedelta

from pymongo import AsyncMongoClient, monitoring

from scheduling.adapters.agenda import MongoAgenda
from scheduling.domain.model import Timing
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling.builders import MONDAY, planned, programme


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.names.append(event.command_name)

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
