import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling import handlers
from scheduling.domain.availability import Slot
from scheduling.domain.commands import PlanPair
from scheduling.domain.model import SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import Booking, DoubleBooking, ParticipantCalendar
from shared.contracts import PairUnschedulable, SessionScheduled
from shared.mongo.aggregates import ConcurrentUpdate
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling.builders import MONDAY, ids, member, planned, programme

EVERY_DAY = tuple(Slot(d, "10:00", "11:00") for d in range(7))


async def test_a_series_avoids_weekends_and_each_members_national_holidays_keeping_its_cadence():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, SessionPlan(4, 60, 7))
    # 2026-07-14 is Bastille Day in France; 2026-07-13 (Our Lady of Chiquinquirá, observed) and
    # 2026-07-20 (Independence Day) are public holidays in Colombia.
    paris, bogota = member("Europe/Paris", EVERY_DAY, "FR"), member("America/Bogota",
                                                                   tuple(Slot(d, "03:00", "05:00") for d in range(7)),
                                                                   "CO")
    p = await planned(uow, pid, paris, bogota, datetime(2026, 7, 6, tzinfo=UTC))
    days = [s.starts_at.astimezone(ZoneInfo("America/Bogota")).date() for s in p.sessions]
    # Monday 6 July would reach 13 July (Colombia), Tuesday 7 July would reach 14 July (France).
    assert days == [date(2026, 7, 8), date(2026, 7, 15), date(2026, 7, 22), date(2026, 7, 29)]


async def test_a_mentor_with_ten_mentees_is_never_booked_twice_at_once():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow)
    mentor = member("Europe/Paris", tuple(Slot(d, "09:00", "12:00") for d in range(5)))
    pairs = [await planned(uow, pid, mentor, member("Europe/Lisbon")) for _ in range(10)]
    starts = sorted(s.starts_at for p in pairs for s in p.sessions)
    assert len(starts) == 60
    assert all(b - a >= timedelta(minutes=60) for a, b in itertools.pairwise(starts))
    calendar = uow.calendars.items[mentor.participant_id]
    assert len(calendar.bookings) == 60


async def test_a_participant_in_two_programmes_is_not_double_booked_either():
    uow = FakeSchedulingUnitOfWork()
    first, second = await programme(uow), await programme(uow)
    busy = member("Europe/Paris", (Slot(0, "09:00", "10:00"), Slot(1, "09:00", "10:00")))
    a = await planned(uow, first, busy)
    b = await planned(uow, second, member(), busy)
    assert {s.starts_at for s in a.sessions}.isdisjoint({s.starts_at for s in b.sessions})


async def test_when_every_common_slot_is_taken_the_pair_says_it_is_fully_booked():
    uow = FakeSchedulingUnitOfWork()
    june = SessionPlan(1, 60, 7, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 28), planning_deadline_days=0)
    pid = await programme(uow, june)
    mentor = member("Europe/Paris", (Slot(0, "09:00", "10:00"),))
    first = await planned(uow, pid, mentor)
    assert first.status == "planned"
    # The programme's four weeks hold four Mondays; three more pairs take them, the fifth finds nothing.
    for _ in range(3):
        await planned(uow, pid, mentor)
    last = await planned(uow, pid, mentor)
    assert last.status == "unschedulable" and "fully_booked" in last.unschedulable_reason
    reasons = [e for e in uow.pairs.events if isinstance(e, PairUnschedulable)]
    assert [e.reason_code for e in reasons] == ["fully_booked"]


async def test_members_meeting_only_on_a_weekend_are_told_so():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, SessionPlan(1, 60, 7, planning_deadline_days=0))
    saturday = (Slot(5, "09:00", "12:00"),)
    p = await planned(uow, pid, member(slots=saturday), member(slots=saturday))
    assert p.status == "unschedulable" and p.unschedulable_reason.startswith("session 1: only_weekends_or_holidays")


def test_a_calendar_refuses_an_overlapping_booking_from_another_pair():
    calendar = ParticipantCalendar(uuid.uuid4())
    at = MONDAY
    calendar.sync(uuid.uuid4(), [Booking(uuid.uuid4(), uuid.uuid4(), at, at + timedelta(hours=1))])
    with pytest.raises(DoubleBooking):
        calendar.sync(uuid.uuid4(), [Booking(uuid.uuid4(), uuid.uuid4(), at + timedelta(minutes=30),
                                             at + timedelta(minutes=90))])


async def test_two_plans_racing_for_the_same_mentor_lose_the_version_check_and_the_retry_books_elsewhere():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, SessionPlan(1, 60, 7))
    mentor = member("Europe/Paris", (Slot(0, "09:00", "10:00"), Slot(1, "09:00", "10:00")))

    def new_pair() -> PairSchedule:
        return PairSchedule(uuid.uuid4(), pid, "FR", mentor, member(), MONDAY)

    # Both read the mentor's empty calendar before either writes.
    a, b = new_pair(), new_pair()
    cal_a = [await uow.calendars.get(m.participant_id) for m in a.members]
    cal_b = [await uow.calendars.get(m.participant_id) for m in b.members]
    assert cal_a[0].version == cal_b[0].version == 0
    await handlers.plan_pair(PlanPair(a, **ids()), uow)
    stale = ParticipantCalendar(mentor.participant_id)
    stale.sync(b.pair_id, [Booking(uuid.uuid4(), b.pair_id, a.sessions[0].starts_at, a.sessions[0].ends_at)])
    uow.calendars.save(stale)
    with pytest.raises(ConcurrentUpdate):
        await uow.commit()
    retried = await handlers.plan_pair(PlanPair(b, **ids()), uow)
    assert retried.sessions[0].starts_at != a.sessions[0].starts_at
    assert len([e for e in uow.pairs.events if isinstance(e, SessionScheduled)]) == 2
