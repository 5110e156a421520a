"""Properties of the planner over random availabilities, zones in both hemispheres, dates around
daylight-saving changes, and members up to 12 hours apart, checked against a plain oracle that
converts each session to each member's local time."""

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scheduling import handlers
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.commands import PlanPair, RegisterProgramme
from scheduling.domain.model import Member, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.planner import Attendee, Finder, first_slot
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.properties import examples

ZONES = {  # zone -> country; northern and southern daylight saving, and zones without it
    "Europe/Paris": "FR", "Europe/London": "GB", "America/New_York": "US", "America/Los_Angeles": "US",
    "America/Sao_Paulo": "BR", "America/Santiago": "CL", "Australia/Sydney": "AU", "Pacific/Auckland": "NZ",
    "Asia/Tokyo": "JP", "Asia/Kolkata": "IN", "Africa/Johannesburg": "ZA", "Asia/Singapore": "SG",
}
# Days around the 2026 transitions: Europe 29 Mar / 25 Oct, US 8 Mar / 1 Nov, Sydney 5 Apr / 4 Oct,
# Santiago 5 Apr / 6 Sep, Auckland 5 Apr / 27 Sep.
TRANSITIONS = [datetime(2026, m, d, tzinfo=UTC) for m, d in
               [(3, 8), (3, 29), (4, 5), (9, 6), (9, 27), (10, 4), (10, 25), (11, 1)]]


def minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


@st.composite
def slots(draw) -> tuple[Slot, ...]:
    out = []
    for weekday in draw(st.sets(st.integers(0, 6), min_size=1, max_size=7)):
        start = draw(st.integers(0, 44)) * 30
        end = draw(st.integers(start // 30 + 2, 48)) * 30
        out.append(Slot(weekday, f"{start // 60:02d}:{start % 60:02d}",
                        "24:00" if end == 1440 else f"{end // 60:02d}:{end % 60:02d}"))
    return tuple(out)


@st.composite
def members(draw) -> Member:
    zone = draw(st.sampled_from(sorted(ZONES)))
    return Member(uuid.uuid4(), ZONES[zone], WeeklyAvailability(zone, draw(slots())))


def starts() -> st.SearchStrategy[datetime]:
    return st.builds(lambda t, h: t + timedelta(hours=h), st.sampled_from(TRANSITIONS), st.integers(-72, 72))


def offset_hours(m: Member, at: datetime) -> float:
    return at.astimezone(ZoneInfo(m.availability.time_zone)).utcoffset().total_seconds() / 3600


def inside(m: Member, start: datetime, length: int) -> bool:
    """The oracle: local start and end inside one window of that local weekday, on a working day."""
    tz = ZoneInfo(m.availability.time_zone)
    local, local_end = start.astimezone(tz), (start + timedelta(minutes=length)).astimezone(tz)
    begin = local.hour * 60 + local.minute
    end = local_end.hour * 60 + local_end.minute + 1440 * (local_end.date() - local.date()).days
    working = local.weekday() < 5 and local.date() not in holidays.country_holidays(m.country, years=local.year)
    return working and any(s.weekday == local.weekday() and minutes(s.start) <= begin and end <= minutes(s.end)
                           for s in m.availability.slots)


PROPERTY = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(members(), members(), starts(), st.sampled_from([30, 60, 90]), st.integers(1, 14))
def test_every_planned_session_lies_inside_both_members_availability_in_their_own_zones(
        mentor, mentee, not_before, length, cadence):
    assume(abs(offset_hours(mentor, not_before) - offset_hours(mentee, not_before)) <= 12)
    pair = PairSchedule(uuid.uuid4(), uuid.uuid4(), "FR", mentor, mentee, not_before)
    plan = SessionPlan(6, length, cadence)
    sessions = pair.plan(plan, Finder(tuple(Attendee(m.profile) for m in (mentor, mentee)), plan.calendar(not_before)))
    for s in sessions:
        assert inside(mentor, s.starts_at, length) and inside(mentee, s.starts_at, length)
    zone = ZoneInfo(mentee.availability.time_zone)
    for a, b in itertools.pairwise(sessions):
        gap = (b.starts_at.astimezone(zone).date() - a.starts_at.astimezone(zone).date()).days
        assert gap == cadence * (b.module - a.module), "cadence in the mentee's local days, exactly"
    assert len(sessions) + len(pair.pending) == 6 and (sessions or pair.unschedulable_reason)


@PROPERTY
@given(members(), members(), starts(), st.sampled_from([30, 60]))
def test_the_first_slot_is_the_earliest_grid_step_the_oracle_accepts(mentor, mentee, not_before, length):
    attendees = tuple(Attendee(m.profile) for m in (mentor, mentee))
    plan = SessionPlan(grid_minutes=30)
    until = int((not_before + timedelta(days=10)).timestamp())
    at = first_slot(attendees, not_before, length, plan.calendar(not_before), until)
    found = None if at is None else datetime.fromtimestamp(at, UTC)
    t = not_before.replace(minute=0, second=0, microsecond=0)
    t += timedelta(minutes=30) * -(-(not_before - t).total_seconds() // 1800)
    expected = None
    while t < not_before + timedelta(days=10):
        if inside(mentor, t, length) and inside(mentee, t, length):
            expected = t
            break
        t += timedelta(minutes=30)
    assert found == expected


@PROPERTY
@given(st.lists(members(), min_size=3, max_size=6), st.data(), starts())
async def test_no_participant_is_ever_in_two_meetings_at_once_in_any_programme_or_format(people, data, not_before):
    uow = FakeSchedulingUnitOfWork()
    programmes = [uuid.uuid4(), uuid.uuid4()]
    plans = [SessionPlan(6, 60, 7), SessionPlan(6, 60, 7, format="group", mentor_capacity=3)]
    for pid, plan in zip(programmes, plans, strict=True):
        await handlers.register_programme(RegisterProgramme(pid, plan, uuid.uuid4(), uuid.uuid4()), uow)
    for _ in range(data.draw(st.integers(2, 8))):
        a, b = data.draw(st.lists(st.sampled_from(people), min_size=2, max_size=2,
                                  unique_by=lambda m: m.participant_id))
        pair = PairSchedule(uuid.uuid4(), data.draw(st.sampled_from(programmes)), "FR", a, b, not_before)
        await handlers.plan_pair(PlanPair(pair, uuid.uuid4(), uuid.uuid4()), uow)
    for person in people:
        # One meeting per (start, group) for group sessions; a one-to-one session is its own meeting.
        meetings = sorted({(s.starts_at, s.ends_at, s.group_key or str(s.session_id)) for p in uow.pairs.items.values()
                           if person in p.members for s in p.sessions})
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(meetings)), person


def test_members_twelve_hours_apart_across_both_hemispheres_daylight_changes_meet_in_both_windows():
    # Auckland leaves summer time on 5 Apr 2026 while London enters it on 29 Mar: the gap moves 13 -> 11 h.
    auckland = Member(uuid.uuid4(), "NZ", WeeklyAvailability("Pacific/Auckland",
                                                             tuple(Slot(d, "07:00", "09:00") for d in range(5))))
    london = Member(uuid.uuid4(), "GB", WeeklyAvailability("Europe/London",
                                                           tuple(Slot(d, "18:00", "22:00") for d in range(7))))
    pair = PairSchedule(uuid.uuid4(), uuid.uuid4(), "NZ", auckland, london, datetime(2026, 3, 16, tzinfo=UTC))
    plan = SessionPlan(6, 60, 7)
    sessions = pair.plan(plan, Finder((Attendee(auckland.profile), Attendee(london.profile)),
                                      plan.calendar(pair.not_before)))
    assert len(sessions) == 6
    assert all(inside(auckland, s.starts_at, 60) and inside(london, s.starts_at, 60) for s in sessions)
    assert len({s.starts_at.astimezone(ZoneInfo("Pacific/Auckland")).hour for s in sessions}) >= 1
