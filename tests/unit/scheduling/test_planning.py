import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling import handlers
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.commands import CompleteSession, PlanPair, RegisterProgramme
from scheduling.domain.model import AlreadyCompletedDifferently, Member, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.planner import Attendee, Finder
from shared.contracts import SessionCompleted, SessionScheduled
from tests.fakes.scheduling import FakeSchedulingUnitOfWork

WEEKDAYS = tuple(Slot(d, "09:00", "17:00") for d in range(5))


def member(tz: str, slots=WEEKDAYS) -> Member:
    return Member(uuid.uuid4(), "FR", WeeklyAvailability(tz, slots))


def pair(mentor: Member, mentee: Member, not_before=datetime(2026, 3, 20, 12, tzinfo=UTC), programme=None):
    return PairSchedule(uuid.uuid4(), programme or uuid.uuid4(), "FR", mentor, mentee, not_before)


def finder(plan: SessionPlan, p: PairSchedule) -> Finder:
    return Finder(tuple(Attendee(m.profile) for m in p.members), plan.calendar(p.not_before))


def ids() -> dict:
    return {"correlation_id": uuid.uuid4(), "causation_id": uuid.uuid4()}


def test_every_session_lies_inside_both_members_availability_in_their_own_time_zones():
    paris, sao_paulo = member("Europe/Paris"), member("America/Sao_Paulo")
    p = pair(paris, sao_paulo)
    sessions = p.plan(SessionPlan(6, 60, 7), finder(SessionPlan(6, 60, 7), p))
    assert len(sessions) == 6 and p.status == "planned"
    for s in sessions:
        for m in (paris, sao_paulo):
            local = s.starts_at.astimezone(ZoneInfo(m.availability.time_zone))
            local_end = (s.starts_at + timedelta(minutes=60)).astimezone(ZoneInfo(m.availability.time_zone))
            assert local.weekday() < 5 and local.hour >= 9 and (local_end.hour, local_end.minute) <= (17, 0)


def test_sessions_keep_their_local_time_across_the_spring_daylight_saving_change():
    # Paris moves to summer time on 2026-03-29; New York already did on 2026-03-08.
    paris = member("Europe/Paris", (Slot(1, "09:00", "10:00"),))
    new_york = member("America/New_York", tuple(Slot(d, "00:00", "24:00") for d in range(7)))
    p = pair(paris, new_york)
    sessions = p.plan(SessionPlan(3, 60, 7), finder(SessionPlan(3, 60, 7), p))
    local = [s.starts_at.astimezone(ZoneInfo("Europe/Paris")) for s in sessions]
    assert [(t.weekday(), t.hour) for t in local] == [(1, 9)] * 3
    assert {s.starts_at.astimezone(UTC).hour for s in sessions} == {8, 7}, "UTC hour shifts with DST"


def test_members_without_a_common_hour_get_an_unschedulable_reason_not_a_silent_gap():
    tokyo_mornings = member("Asia/Tokyo", (Slot(0, "09:00", "10:00"),))
    paris_mornings = member("Europe/Paris", (Slot(0, "09:00", "10:00"),))
    p = pair(tokyo_mornings, paris_mornings)
    now_or_never = SessionPlan(planning_deadline_days=0)
    assert p.plan(now_or_never, finder(now_or_never, p)) == []
    assert p.status == "unschedulable" and "no_common_availability" in p.unschedulable_reason


def test_sessions_that_cannot_be_placed_yet_wait_with_their_reason_until_the_planning_deadline():
    tokyo_mornings = member("Asia/Tokyo", (Slot(0, "09:00", "10:00"),))
    paris_mornings = member("Europe/Paris", (Slot(0, "09:00", "10:00"),))
    p = pair(tokyo_mornings, paris_mornings)
    plan = SessionPlan(planning_deadline_days=10)
    assert p.plan(plan, finder(plan, p)) == []
    assert p.status == "partially_planned" and [x.module for x in p.pending] == [1, 2, 3, 4, 5, 6]
    assert {x.reason for x in p.pending} == {"no_common_availability"}
    assert p.retry(finder(plan, p), p.not_before + timedelta(days=9)) == [] and p.status == "partially_planned"
    assert p.retry(finder(plan, p), p.not_before + timedelta(days=10)) == [] and p.status == "unschedulable"


async def test_a_pair_waits_for_its_programme_then_is_planned_when_the_plan_arrives():
    uow = FakeSchedulingUnitOfWork()
    programme = uuid.uuid4()
    p = pair(member("Europe/Paris"), member("Europe/Berlin"), programme=programme)
    await handlers.plan_pair(PlanPair(p, **ids()), uow)
    assert p.status == "awaiting_programme" and uow.pairs.events == []
    assert await handlers.register_programme(RegisterProgramme(programme, SessionPlan(2, 45, 7), **ids()), uow) == 1
    assert [type(e) for e in uow.pairs.events] == [SessionScheduled, SessionScheduled]
    assert [e.duration_minutes for e in uow.pairs.events] == [45, 45]


async def test_completing_a_session_publishes_once_and_refuses_conflicting_data():
    uow = FakeSchedulingUnitOfWork()
    programme = uuid.uuid4()
    await handlers.register_programme(RegisterProgramme(programme, SessionPlan(2, 60, 7), **ids()), uow)
    p = pair(member("Europe/Paris"), member("Europe/Paris"), programme=programme)
    await handlers.plan_pair(PlanPair(p, **ids()), uow)
    session_id = p.sessions[0].session_id
    done = CompleteSession(session_id, 50, datetime.now(UTC), uuid.uuid4())
    await handlers.complete_session(done, uow)
    await handlers.complete_session(done, uow)
    completed = [e for e in uow.pairs.events if isinstance(e, SessionCompleted)]
    assert len(completed) == 1 and completed[0].actual_minutes == 50
    with pytest.raises(AlreadyCompletedDifferently):
        await handlers.complete_session(CompleteSession(session_id, 30, datetime.now(UTC), uuid.uuid4()), uow)


async def test_replaying_pair_created_plans_nothing_twice():
    uow = FakeSchedulingUnitOfWork()
    programme = uuid.uuid4()
    await handlers.register_programme(RegisterProgramme(programme, SessionPlan(3, 60, 7), **ids()), uow)
    p = pair(member("Europe/Paris"), member("Europe/Paris"), programme=programme)
    replay = PairSchedule(p.pair_id, programme, "FR", p.mentor, p.mentee, p.not_before)
    await handlers.plan_pair(PlanPair(p, **ids()), uow)
    await handlers.plan_pair(PlanPair(replay, **ids()), uow)
    assert len(uow.pairs.events) == 3 and len(uow.pairs.items) == 1


async def test_a_programme_arriving_while_its_pair_is_being_stored_still_gets_the_pair_planned():
    uow = FakeSchedulingUnitOfWork()
    programme = uuid.uuid4()
    launch = RegisterProgramme(programme, SessionPlan(2, 60, 7), **ids())
    look_ups = uow.plans.get

    async def programme_lands_right_after_the_first_look_up(programme_id):
        found = await look_ups(programme_id)
        if not uow.plans.items:
            # The ProgrammeLaunched consumer runs now: it finds no waiting pair (not stored yet).
            assert await handlers.register_programme(launch, uow) == 0
        return found

    uow.plans.get = programme_lands_right_after_the_first_look_up
    p = pair(member("Europe/Paris"), member("Europe/Paris"), programme=programme)
    planned = await handlers.plan_pair(PlanPair(p, **ids()), uow)
    assert planned.status == "planned" and len(planned.sessions) == 2
    assert [type(e) for e in uow.pairs.events] == [SessionScheduled, SessionScheduled]
