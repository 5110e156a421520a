from collections import Counter
from zoneinfo import ZoneInfo

from scheduling.domain.availability import Slot
from scheduling.domain.model import SessionPlan
from shared.contracts import SessionScheduled
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling.builders import member, planned, programme

GROUP = SessionPlan(3, 60, 7, format="group", mentor_capacity=3)


async def test_a_mentors_mentees_share_one_meeting_per_module_up_to_the_capacity():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, GROUP)
    mentor = member("Europe/Paris")
    pairs = [await planned(uow, pid, mentor, member("Europe/Berlin")) for _ in range(5)]
    for module in range(3):
        starts = Counter(p.sessions[module].starts_at for p in pairs)
        assert sorted(starts.values()) == [2, 3], "three share the first meeting, the other two the next"
    group_ids = Counter(e.group_id for e in uow.pairs.events if isinstance(e, SessionScheduled))
    assert sorted(group_ids.values()) == [2, 2, 2, 3, 3, 3]
    meetings = {(b.starts_at, b.group_key) for b in uow.calendars.items[mentor.participant_id].bookings}
    assert len(meetings) == 6 and len({start for start, _ in meetings}) == 6, "never two meetings at once"


async def test_a_mentee_who_cannot_make_the_group_meeting_gets_a_session_of_their_own():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, GROUP)
    mentor = member("Europe/Paris")
    first = await planned(uow, pid, mentor, member("Europe/Paris", (Slot(0, "09:00", "10:00"),)))
    afternoons = await planned(uow, pid, mentor, member("Europe/Paris", tuple(Slot(d, "14:00", "17:00")
                                                                              for d in range(5))))
    assert {s.starts_at for s in first.sessions}.isdisjoint(s.starts_at for s in afternoons.sessions)
    assert all(s.starts_at.astimezone(ZoneInfo("Europe/Paris")).hour >= 14 for s in afternoons.sessions)


async def test_one_to_one_programmes_never_share_a_session():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, SessionPlan(3, 60, 7, mentor_capacity=3))
    mentor = member("Europe/Paris")
    pairs = [await planned(uow, pid, mentor) for _ in range(3)]
    starts = [s.starts_at for p in pairs for s in p.sessions]
    assert len(set(starts)) == len(starts)
