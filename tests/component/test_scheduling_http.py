"""Scheduling's HTTP surface with a fake unit of work and a fake clock: queries, changes, invites,
cafés, the tick; every rejection a 4xx naming the field."""

import uuid
from datetime import datetime, timedelta

import httpx
import icalendar
import pytest

from scheduling.config import Settings
from scheduling.domain.model import SessionPlan
from scheduling.entrypoints.app import create_app
from shared.contracts import CafeJoined, SessionCancelled, SessionCompleted, SessionReminderDue, SessionRescheduled
from shared.runtime import Services
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.local_issuer import LOCAL, local_runtime
from tests.unit.scheduling.builders import MONDAY, member, planned, programme


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def uow() -> FakeSchedulingUnitOfWork:
    return FakeSchedulingUnitOfWork()


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def http(uow, clock) -> httpx.AsyncClient:
    services = Services(local_runtime(Settings()), lambda: uow)
    app = create_app(Settings(tick_interval_seconds=0, reminder_before_minutes=120), services, clock)
    # No lifespan: nothing connects to Kafka or MongoDB.
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t", headers=LOCAL.admin())


def field_of(response: httpx.Response) -> str:
    return response.json()["detail"][0]["loc"][-1]


async def test_a_pairs_series_reads_back_and_its_invite_parses_with_the_right_utc_times(http, uow):
    pair = await planned(uow, await programme(uow, SessionPlan(3, 60, 7)), member("Europe/Paris"),
                         member("America/Sao_Paulo"))
    series = (await http.get(f"/pairs/{pair.pair_id}")).json()
    assert [s["module"] for s in series["sessions"]] == [1, 2, 3]
    response = await http.get(f"/pairs/{pair.pair_id}/calendar.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [s.starts_at for s in pair.sessions]
    assert all(e["DTSTART"].to_ical().endswith(b"Z") and e["DTEND"].to_ical().endswith(b"Z") for e in events)
    assert all(e.decoded("dtend") - e.decoded("dtstart") == timedelta(hours=1) for e in events)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(events[0]["ORGANIZER"]) == f"urn:uuid:{pair.mentor.participant_id}"
    one = icalendar.Calendar.from_ical((await http.get(f"/sessions/{pair.sessions[1].session_id}/invite.ics")).content)
    assert [str(e["UID"]) for e in one.walk("VEVENT")] == [f"{pair.sessions[1].session_id}@binome"]


async def test_sessions_filter_by_programme_country_and_date_range_with_pagination(http, uow):
    pid = await programme(uow, SessionPlan(3, 60, 7))
    pairs = [await planned(uow, pid) for _ in range(3)]
    await planned(uow, await programme(uow, SessionPlan(3, 60, 7)))
    everything = (await http.get("/sessions", params={"programme_id": str(pid), "limit": 4})).json()
    assert everything["total"] == 9 and len(everything["items"]) == 4
    starts = [i["starts_at"] for i in everything["items"]]
    assert starts == sorted(starts)
    first_week = (await http.get("/sessions", params={"programme_id": str(pid), "country": "FR",
                                                      "from": MONDAY.isoformat(),
                                                      "to": (MONDAY + timedelta(days=7)).isoformat()})).json()
    assert first_week["total"] == 3
    assert (await http.get("/sessions", params={"country": "BR"})).json()["total"] == 0
    naive = await http.get("/sessions", params={"from": "2026-06-01T09:00:00"})
    assert naive.status_code == 422 and field_of(naive) == "from"
    agenda = (await http.get(f"/participants/{pairs[0].mentee.participant_id}/agenda")).json()
    assert [e["session_id"] for e in agenda["items"]] == [str(s.session_id) for s in pairs[0].sessions]


async def test_reschedule_cancel_complete_and_miss_over_http(http, uow, clock):
    pair = await planned(uow, await programme(uow, SessionPlan(3, 60, 7)))
    first, second, third = pair.sessions
    moved = await http.post(f"/sessions/{first.session_id}/reschedule",
                            json={"starts_at": (first.starts_at + timedelta(hours=2)).isoformat()})
    assert moved.status_code == 200 and moved.json()["starts_at"].startswith("2026-06-01T09:00")
    refused = await http.post(f"/sessions/{first.session_id}/reschedule",
                              json={"starts_at": (first.starts_at + timedelta(days=5)).isoformat()})
    assert refused.status_code == 409 and field_of(refused) == "starts_at"
    replacement = await http.post(f"/sessions/{second.session_id}/cancellation", json={})
    assert replacement.status_code == 200 and replacement.json()["cancelled"]["status"] == "cancelled"
    assert replacement.json()["replacement"]["module"] == 2
    done = await http.post(f"/sessions/{first.session_id}/completion",
                           json={"actual_minutes": 55, "modules_covered": [1]})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    missed = await http.post(f"/sessions/{third.session_id}/missed")
    assert missed.status_code == 200 and missed.json()["status"] == "missed"
    again = await http.post(f"/sessions/{second.session_id}/completion", json={"actual_minutes": 30})
    assert again.status_code == 409 and field_of(again) == "session_id"
    kinds = [type(e) for e in uow.pairs.events]
    assert SessionRescheduled in kinds and SessionCancelled in kinds and SessionCompleted in kinds


@pytest.mark.parametrize(("path", "body", "status", "field"), [
    ("/sessions/{unknown}/completion", {"actual_minutes": 10}, 404, "session_id"),
    ("/sessions/{unknown}/reschedule", {"starts_at": "2026-06-01T09:00:00Z"}, 404, "session_id"),
    ("/sessions/{unknown}/completion", {"actual_minutes": 0}, 422, "actual_minutes"),
    ("/sessions/{unknown}/reschedule", {"starts_at": "2026-06-01T09:00:00"}, 422, "starts_at"),
    ("/cafes/{unknown}/attendees", {"participant_id": "not-a-uuid"}, 422, "participant_id"),
    ("/cafes/{unknown}/attendees", {"participant_id": "00000000-0000-0000-0000-000000000001"}, 404, "cafe_id"),
])
async def test_every_rejection_names_the_field(http, path, body, status, field):
    response = await http.post(path.format(unknown=uuid.uuid4()), json=body)
    assert response.status_code == status and field_of(response) == field


async def test_the_tick_runs_on_the_injected_clock(http, uow, clock):
    pair = await planned(uow, await programme(uow, SessionPlan(2, 60, 7)))
    clock.now = pair.sessions[0].starts_at - timedelta(minutes=90)
    assert (await http.post("/operations/tick")).json() == {"reminders": 1, "at_risk": 0, "closed": 0, "placed": 0,
                                                              "unschedulable": 0}
    reminded = [e.session_id for e in uow.pairs.events if isinstance(e, SessionReminderDue)]
    assert reminded == [pair.sessions[0].session_id]


async def test_a_cafe_fills_up_to_capacity_and_never_double_books_a_participant(http, uow):
    pid = await programme(uow)
    busy = await planned(uow, pid)
    body = {"topic": "prompting", "starts_at": busy.sessions[0].starts_at.isoformat(), "duration_minutes": 60,
            "capacity": 2}
    created = await http.post(f"/programmes/{pid}/cafes", json=body)
    assert created.status_code == 201
    assert (await http.post(f"/programmes/{pid}/cafes", json=body)).status_code == 200, "idempotent re-send"
    assert (await http.post(f"/programmes/{pid}/cafes", json={**body, "capacity": 3})).status_code == 409
    assert (await http.post(f"/programmes/{uuid.uuid4()}/cafes", json=body)).status_code == 404
    cafe = created.json()["cafe_id"]
    clash = await http.post(f"/cafes/{cafe}/attendees", json={"participant_id": str(busy.mentor.participant_id)})
    assert clash.status_code == 409 and field_of(clash) == "participant_id"
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    assert (await http.post(f"/cafes/{cafe}/attendees", json={"participant_id": first})).json()["seats_left"] == 1
    assert (await http.post(f"/cafes/{cafe}/attendees", json={"participant_id": first})).json()["seats_left"] == 1
    assert (await http.post(f"/cafes/{cafe}/attendees", json={"participant_id": second})).json()["seats_left"] == 0
    full = await http.post(f"/cafes/{cafe}/attendees", json={"participant_id": third})
    assert full.status_code == 409 and field_of(full) == "cafe_id"
    assert len([e for e in uow.cafes.events if isinstance(e, CafeJoined)]) == 2
    listed = (await http.get("/cafes", params={"programme_id": pid})).json()
    assert listed["total"] == 1 and listed["items"][0]["attendees"] == [first, second]
    agenda = (await http.get(f"/participants/{first}/agenda")).json()
    assert [e["owner_id"] for e in agenda["items"]] == [cafe]
