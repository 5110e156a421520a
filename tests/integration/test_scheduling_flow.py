"""Scheduling on the real broker and store: PairCreated -> SessionScheduled; reschedule and cancel
over HTTP -> events; ParticipantWithdrawn and PairDissolved cancel future sessions; invites parse
back with the right UTC times; no double booking across pairs; the tick on a fake clock."""

import asyncio
from datetime import UTC, datetime, timedelta

import icalendar
from pymongo import AsyncMongoClient

from scheduling.config import Settings
from scheduling.entrypoints.app import create_app
from shared.contracts import EVENTS, IntegrationEvent, topic_for
from tests import factories
from tests.integration.conftest import serving
from tests.kafka_probe import TopicReader, eventually, publish_raw
from tools.servers import Servers

SCHEDULING_TOPICS = [topic_for(e) for e in EVENTS if e.producer_service == "scheduling"]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def publish(bootstrap: Servers, *events: IntegrationEvent) -> None:
    for e in factories.with_keys(*events):
        await publish_raw(bootstrap, topic_for(e), e.partition_key.encode(), e.model_dump_json().encode())


def of(kind: str, pair_id: object):
    return lambda r: r.json().get("event_type") == kind and r.json().get("pair_id") == str(pair_id)


async def test_a_pair_is_planned_changed_invited_and_cancelled_on_withdrawal(servers: Servers, settings_kwargs):
    settings = Settings(**settings_kwargs, tick_interval_seconds=0)
    bootstrap = servers
    programme = factories.programme_launched(sessions_per_pair=4)
    mentor = factories.pair_member("Europe/Paris", "FR")
    # Pairs created tomorrow, so the withdrawal and the dissolution (published now) find future sessions;
    # at 06:00 UTC, before the members' shared hours, so the plan (and the free hour the first session is
    # moved to below) does not depend on the time of day the suite runs.
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=6, minute=0, second=0, microsecond=0)
    pair = factories.pair_created(programme.programme_id, mentor=mentor, occurred_at=tomorrow,
                                  mentee=factories.pair_member("America/Sao_Paulo", "BR"))
    second = factories.pair_created(programme.programme_id, mentor=mentor, occurred_at=tomorrow)
    clock = Clock(pair.occurred_at)
    async with serving(create_app(settings, clock=clock)) as http, TopicReader(bootstrap, SCHEDULING_TOPICS) as kafka:
        await publish(bootstrap, programme, pair)
        scheduled = await kafka.wait_for(of("SessionScheduled", pair.pair_id), count=4)
        await publish(bootstrap, second)
        await kafka.wait_for(of("SessionScheduled", second.pair_id), count=4)
        series = (await http.get(f"/pairs/{pair.pair_id}")).json()
        sessions = series["sessions"]
        assert series["status"] == "planned" and [s["module"] for s in sessions] == [1, 2, 3, 4]
        assert sorted(r.json()["starts_at"] for r in scheduled) == [s["starts_at"] for s in sessions]
        other = {s["starts_at"] for s in (await http.get(f"/pairs/{second.pair_id}")).json()["sessions"]}
        assert other.isdisjoint(s["starts_at"] for s in sessions), "the shared mentor is never double-booked"

        invite = icalendar.Calendar.from_ical((await http.get(f"/pairs/{pair.pair_id}/calendar.ics")).content)
        starts = [e.decoded("dtstart") for e in invite.walk("VEVENT")]
        assert starts == [datetime.fromisoformat(s["starts_at"]) for s in sessions]

        first = sessions[0]
        new_start = datetime.fromisoformat(first["starts_at"]) + timedelta(hours=1)
        moved = await http.post(f"/sessions/{first['session_id']}/reschedule",
                                json={"starts_at": new_start.isoformat()})
        assert moved.status_code == 200, moved.text
        rescheduled = await kafka.wait_for(of("SessionRescheduled", pair.pair_id))
        assert datetime.fromisoformat(rescheduled[0].json()["starts_at"]) == new_start
        one = icalendar.Calendar.from_ical((await http.get(f"/sessions/{first['session_id']}/invite.ics")).content)
        assert [e.decoded("dtstart") for e in one.walk("VEVENT")] == [new_start]

        cancelled = await http.post(f"/sessions/{sessions[1]['session_id']}/cancellation", json={"replan": False})
        assert cancelled.status_code == 200
        await kafka.wait_for(lambda r: of("SessionCancelled", pair.pair_id)(r) and r.json()["reason"] == "requested")

        clock.now = new_start - timedelta(hours=2)
        assert (await http.post("/operations/tick")).json()["reminders"] >= 1
        await kafka.wait_for(of("SessionReminderDue", pair.pair_id))

        leaving = factories.participant_withdrawn(programme.programme_id, pair.mentee.participant_id)
        await publish(bootstrap, leaving)
        withdrawn = await kafka.wait_for(lambda r: of("SessionCancelled", pair.pair_id)(r)
                                         and r.json()["reason"] == "participant_withdrew", count=2)
        assert {r.json()["causation_id"] for r in withdrawn} == {str(leaving.event_id)}
        assert (await http.get(f"/pairs/{pair.pair_id}")).json()["status"] == "dissolved"

        await publish(bootstrap, factories.pair_dissolved(second))
        await kafka.wait_for(lambda r: of("SessionCancelled", second.pair_id)(r)
                             and r.json()["reason"] == "pair_dissolved", count=4)

    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    calendar = await db.participant_calendars.find_one({"_id": str(mentor.participant_id)})
    assert calendar["bookings"] == [], "both pairs ended: the shared mentor's calendar is free again"
    assert await eventually(lambda: _nothing_waits(db, str(pair.pair_id))), "the pair's events have all left"


async def _nothing_waits(db, pair_id: str) -> bool:
    return await db.outbox_markers.count_documents({"aggregate_id": pair_id}) == 0


async def test_completing_the_plan_publishes_pair_completed_once_and_cafes_publish_their_seats(
        servers: Servers, settings_kwargs):
    settings = Settings(**settings_kwargs, tick_interval_seconds=0)
    bootstrap = servers
    programme = factories.programme_launched(sessions_per_pair=2)
    pair = factories.pair_created(programme.programme_id)
    async with serving(create_app(settings)) as http, TopicReader(bootstrap, SCHEDULING_TOPICS) as kafka:
        await publish(bootstrap, programme, pair)
        await kafka.wait_for(of("SessionScheduled", pair.pair_id), count=2)
        sessions = (await http.get(f"/pairs/{pair.pair_id}")).json()["sessions"]
        for s in sessions:
            for _ in range(2):  # a re-send is idempotent
                done = await http.post(f"/sessions/{s['session_id']}/completion", json={"actual_minutes": 50})
                assert done.status_code == 200, done.text
        completed = await kafka.wait_for(of("PairCompleted", pair.pair_id))
        assert completed[0].json()["sessions_completed"] == 2
        assert (await http.get(f"/pairs/{pair.pair_id}")).json()["status"] == "completed"

        body = {"topic": "generative-ai", "starts_at": "2026-12-02T12:00:00+01:00", "duration_minutes": 45,
                "capacity": 2}
        cafe = (await http.post(f"/programmes/{programme.programme_id}/cafes", json=body)).json()
        joined = await http.post(f"/cafes/{cafe['cafe_id']}/attendees",
                                 json={"participant_id": str(pair.mentee.participant_id)})
        assert joined.status_code == 200 and joined.json()["seats_left"] == 1
        joins = await kafka.wait_for(lambda r: r.json().get("cafe_id") == cafe["cafe_id"]
                                     and r.json()["event_type"] == "CafeJoined")
        assert joins[0].json()["participant_id"] == str(pair.mentee.participant_id)
        # At-least-once: the relay may repeat an event (same event_id), never lose one.
        seats = [r.json() for r in kafka.records if r.json().get("cafe_id") == cafe["cafe_id"]]
        assert {(e["event_type"], e["event_id"]) for e in seats} >= {("CafeJoined", joins[0].json()["event_id"])}
        assert {e["event_type"] for e in seats} == {"CafePublished", "CafeJoined"}
        await kafka.settle()
        assert len({r.json()["event_id"] for r in kafka.records if of("PairCompleted", pair.pair_id)(r)}) == 1


async def test_the_periodic_task_sends_reminders_on_its_own_and_stops_with_the_app(servers: Servers, settings_kwargs):
    settings = Settings(**settings_kwargs, tick_interval_seconds=0.2, reminder_before_minutes=60)
    bootstrap = servers
    programme = factories.programme_launched(sessions_per_pair=1)
    pair = factories.pair_created(programme.programme_id)
    # The clock only moves forward: planned a day before the first session, then 30 min before it.
    clock = Clock(pair.occurred_at - timedelta(days=1))
    app = create_app(settings, clock=clock)
    async with serving(app) as http, TopicReader(bootstrap, SCHEDULING_TOPICS) as kafka:
        await publish(bootstrap, programme, pair)
        await kafka.wait_for(of("SessionScheduled", pair.pair_id))
        session = (await http.get(f"/pairs/{pair.pair_id}")).json()["sessions"][0]
        clock.now = datetime.fromisoformat(session["starts_at"]) - timedelta(minutes=30)
        reminders = await kafka.wait_for(of("SessionReminderDue", pair.pair_id))
        assert reminders and reminders[0].json()["session_id"] == session["session_id"]
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "scheduling-ticker"]


async def test_a_tick_reads_only_the_pairs_the_agenda_files_as_due_and_files_them_again(servers: Servers,
                                                                                      settings_kwargs):
    settings = Settings(**settings_kwargs, tick_interval_seconds=0, reminder_before_minutes=60)
    programme = factories.programme_launched(sessions_per_pair=2)
    pair = factories.pair_created(programme.programme_id)
    clock = Clock(pair.occurred_at - timedelta(days=1))
    db = AsyncMongoClient(servers.mongodb_url, tz_aware=True)[settings.database_name]

    async def filed() -> dict[str, str]:
        entries: dict[str, str] = {}
        async for bucket in db.tick_agenda.find({"_id": {"$ne": "hours"}}):
            entries |= {k: v for k, v in bucket["due"].items() if k == str(pair.pair_id)}
        return entries

    async with serving(create_app(settings, clock=clock)) as http, \
            TopicReader(servers, SCHEDULING_TOPICS) as kafka:
        await publish(servers, programme, pair)
        await kafka.wait_for(of("SessionScheduled", pair.pair_id), count=2)
        first, second = sorted(s["starts_at"] for s in (await http.get(f"/pairs/{pair.pair_id}")).json()["sessions"])
        first_reminder = datetime.fromisoformat(first) - timedelta(hours=1)
        assert await filed() == {str(pair.pair_id): first_reminder.isoformat()}

        clock.now = first_reminder - timedelta(minutes=1)
        assert (await http.post("/operations/tick")).json()["reminders"] == 0, "not due yet"
        clock.now = first_reminder + timedelta(minutes=1)
        assert (await http.post("/operations/tick")).json()["reminders"] == 1
        assert await filed() == {str(pair.pair_id): (datetime.fromisoformat(second) - timedelta(hours=1)).isoformat()}
        assert (await http.post("/operations/tick")).json()["reminders"] == 0, "reminded once"
