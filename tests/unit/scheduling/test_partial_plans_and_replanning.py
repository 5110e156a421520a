"""Sessions that cannot be placed yet wait, are placed by the tick as calendars free up, and only
at the programme's planning deadline does the pair become unschedulable; a member's new
availability re-plans the sessions ahead."""

import itertools
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduling import handlers
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.commands import EndParticipation, Tick, UpdateMember
from scheduling.domain.model import SessionPlan, Timing
from shared.contracts import PairUnschedulable, SessionRescheduled, SessionScheduled
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling.builders import MONDAY, member, planned, programme

JUNE = SessionPlan(3, 60, 7, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 28), planning_deadline_days=5)
MONDAY_MORNING = (Slot(0, "09:00", "10:00"),)


async def tick(uow: FakeSchedulingUnitOfWork, now: datetime) -> dict[str, int]:
    return await handlers.tick(Tick(now, Timing(), uuid.uuid4()), uow)


def of(uow: FakeSchedulingUnitOfWork, kind: type) -> list:
    return [e for e in uow.pairs.events if isinstance(e, kind)]


async def test_a_pair_blocked_by_its_mentors_other_sessions_waits_and_is_planned_once_they_go():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, JUNE)
    mentor = member(slots=MONDAY_MORNING)
    first = await planned(uow, pid, mentor)
    second = await planned(uow, pid, mentor)
    # The mentor's four June Mondays: three for the first pair, the last for the second pair's third
    # session; its first two wait for the first pair's dates, exactly a week apart.
    assert first.status == "planned" and second.status == "partially_planned"
    assert [s.module for s in second.sessions] == [3] and [p.module for p in second.pending] == [1, 2]
    assert {p.reason for p in second.pending} == {"fully_booked"} and not of(uow, PairUnschedulable)

    await handlers.end_participation(EndParticipation(None, first.pair_id, pid, "pair_dissolved", MONDAY,
                                                      uuid.uuid4(), uuid.uuid4()), uow)
    counts = await tick(uow, MONDAY + timedelta(minutes=30))

    assert counts["placed"] == 2 and second.status == "planned" and second.pending == []
    assert len([e for e in of(uow, SessionScheduled) if e.pair_id == second.pair_id]) == 3
    days = [s.starts_at.astimezone(ZoneInfo("Europe/Paris")).date() for s in second.active()]
    assert days == [date(2026, 6, 8), date(2026, 6, 15), date(2026, 6, 22)]


async def test_only_at_the_planning_deadline_does_a_waiting_pair_become_unschedulable():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, JUNE)
    mentor = member(slots=MONDAY_MORNING)
    await planned(uow, pid, mentor)
    waiting = await planned(uow, pid, mentor)
    assert (await tick(uow, MONDAY + timedelta(days=4)))["unschedulable"] == 0
    assert (await tick(uow, MONDAY + timedelta(days=5)))["unschedulable"] == 1
    [event] = of(uow, PairUnschedulable)
    assert (event.pair_id, event.reason_code, event.sessions_planned, event.sessions_to_plan) == \
        (waiting.pair_id, "fully_booked", 1, 2)
    assert (await tick(uow, MONDAY + timedelta(days=6)))["unschedulable"] == 0, "reported once"


async def test_new_availability_moves_the_sessions_ahead_into_the_new_windows():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, SessionPlan(4, 60, 7))
    mentee = member()
    pair = await planned(uow, pid, member(), mentee)
    afternoons = replace(mentee, availability=WeeklyAvailability(
        "Europe/Paris", tuple(Slot(d, "14:00", "17:00") for d in range(5))))
    now = pair.sessions[0].starts_at + timedelta(hours=2)  # the first session is past

    await handlers.update_member(UpdateMember(afternoons, pid, now, uuid.uuid4(), uuid.uuid4()), uow)

    moved = of(uow, SessionRescheduled)
    assert [e.module for e in moved] == [2, 3, 4]
    paris = ZoneInfo("Europe/Paris")
    assert all(s.starts_at.astimezone(paris).hour >= 14 for s in pair.sessions[1:])
    assert pair.sessions[0].starts_at.astimezone(paris).hour < 14, "a past session stays where it was"
    days = [s.starts_at.astimezone(paris).date() for s in pair.active()]
    assert all((b - a).days >= 7 for a, b in itertools.pairwise(days))
    assert await handlers.update_member(UpdateMember(afternoons, pid, now, uuid.uuid4(), uuid.uuid4()), uow) == 0


async def test_a_partly_planned_series_moves_as_a_whole_when_a_whole_series_frees_up_elsewhere():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, replace(JUNE, ends_on=date(2026, 7, 19)))  # Mondays 1 June .. 13 July
    mentor = member(slots=MONDAY_MORNING)
    await planned(uow, pid, mentor, not_before=MONDAY + timedelta(days=7))  # stays: 8, 15, 22 June
    leaving = await planned(uow, pid, mentor, not_before=MONDAY + timedelta(days=28))  # 29 June, 6, 13 July
    waiting = await planned(uow, pid, mentor)  # 1 June only; 8 and 15 June wait
    assert [x.module for x in waiting.pending] == [2, 3]

    await handlers.end_participation(EndParticipation(None, leaving.pair_id, pid, "pair_dissolved", MONDAY,
                                                      uuid.uuid4(), uuid.uuid4()), uow)
    await tick(uow, MONDAY + timedelta(minutes=30))

    days = [s.starts_at.astimezone(ZoneInfo("Europe/Paris")).date() for s in waiting.active()]
    assert waiting.status == "planned" and days == [date(2026, 6, 29), date(2026, 7, 6), date(2026, 7, 13)]
    assert [e.module for e in of(uow, SessionRescheduled) if e.pair_id == waiting.pair_id] == [1]
