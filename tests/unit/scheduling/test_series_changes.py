import uuid
from datetime import UTC, datetime, timedelta

import pytest

from scheduling import handlers
from scheduling.domain.commands import CancelSession, CompleteSession, EndParticipation, MarkMissed, RescheduleSession
from scheduling.domain.model import SessionChangeRefused, SessionPlan
from shared.contracts import (
    PairCompleted,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
)
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling.builders import MONDAY, member, planned, programme

NOW = MONDAY


def of(uow, kind):
    return [e for e in uow.pairs.events if isinstance(e, kind)]


async def test_rescheduling_moves_the_session_and_pushes_later_ones_that_would_come_too_soon():
    uow = FakeSchedulingUnitOfWork()
    p = await planned(uow, await programme(uow, SessionPlan(3, 60, 7)))
    first, second, third = p.sessions
    new_start = first.starts_at + timedelta(days=3)  # Thursday 09:00 Paris, four days before session 2
    await handlers.reschedule_session(RescheduleSession(first.session_id, new_start, NOW, uuid.uuid4()), uow)
    moved = of(uow, SessionRescheduled)
    assert [e.session_id for e in moved][:2] == [first.session_id, second.session_id]
    assert first.starts_at == new_start and second.starts_at >= new_start + timedelta(days=7)
    assert third.starts_at >= second.starts_at + timedelta(days=7)
    mentor_calendar = uow.calendars.items[p.mentor.participant_id]
    assert sorted(b.starts_at for b in mentor_calendar.bookings) == sorted(s.starts_at for s in p.sessions)


async def test_rescheduling_outside_availability_or_before_the_previous_module_is_refused():
    uow = FakeSchedulingUnitOfWork()
    p = await planned(uow, await programme(uow, SessionPlan(2, 60, 7)))
    saturday = p.sessions[0].starts_at + timedelta(days=(5 - p.sessions[0].starts_at.weekday()) % 7 or 7)
    with pytest.raises(SessionChangeRefused) as outside:
        await handlers.reschedule_session(RescheduleSession(p.sessions[0].session_id, saturday, NOW, uuid.uuid4()),
                                          uow)
    assert outside.value.field == "starts_at"
    with pytest.raises(SessionChangeRefused, match="must come after"):
        await handlers.reschedule_session(RescheduleSession(p.sessions[1].session_id,
                                                            p.sessions[0].starts_at - timedelta(days=1),
                                                            NOW - timedelta(days=7), uuid.uuid4()), uow)
    with pytest.raises(SessionChangeRefused, match="future"):
        await handlers.reschedule_session(RescheduleSession(p.sessions[0].session_id, NOW - timedelta(days=3),
                                                            NOW, uuid.uuid4()), uow)
    assert of(uow, SessionRescheduled) == []


async def test_cancelling_plans_a_replacement_that_covers_the_same_module():
    uow = FakeSchedulingUnitOfWork()
    p = await planned(uow, await programme(uow, SessionPlan(2, 60, 14)))
    first = p.sessions[0]
    _, replacement = await handlers.cancel_session(CancelSession(first.session_id, NOW, True, uuid.uuid4()), uow)
    assert first.status == "cancelled" and replacement is not None
    assert replacement.module == 1 and replacement.starts_at > first.starts_at
    assert [e.reason for e in of(uow, SessionCancelled)] == ["requested"]
    assert of(uow, SessionScheduled)[-1].session_id == replacement.session_id
    # A re-send changes nothing.
    await handlers.cancel_session(CancelSession(first.session_id, NOW, True, uuid.uuid4()), uow)
    assert len(of(uow, SessionCancelled)) == 1


async def test_completing_every_module_completes_the_pair_once():
    uow = FakeSchedulingUnitOfWork()
    p = await planned(uow, await programme(uow, SessionPlan(2, 60, 7)))
    first, second = p.sessions
    await handlers.complete_session(CompleteSession(first.session_id, 60, first.ends_at, uuid.uuid4()), uow)
    assert of(uow, PairCompleted) == []
    await handlers.complete_session(CompleteSession(second.session_id, 45, second.ends_at, uuid.uuid4(), (2,)), uow)
    await handlers.complete_session(CompleteSession(second.session_id, 45, second.ends_at, uuid.uuid4(), (2,)), uow)
    assert [e.modules_covered for e in of(uow, SessionCompleted)] == [[1], [2]]
    done = of(uow, PairCompleted)
    assert len(done) == 1 and done[0].sessions_completed == 2 and p.status == "completed"


async def test_a_missed_session_is_published_and_frees_the_slot():
    uow = FakeSchedulingUnitOfWork()
    p = await planned(uow, await programme(uow, SessionPlan(2, 60, 7)))
    first = p.sessions[0]
    await handlers.mark_missed(MarkMissed(first.session_id, uuid.uuid4()), uow)
    await handlers.mark_missed(MarkMissed(first.session_id, uuid.uuid4()), uow)
    assert [e.session_id for e in of(uow, SessionMissed)] == [first.session_id]
    assert first.session_id not in {b.session_id for b in uow.calendars.items[p.mentor.participant_id].bookings}


async def test_a_withdrawal_cancels_only_future_sessions_of_that_participants_pairs():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, SessionPlan(3, 60, 7))
    leaver = member()
    mine, other = await planned(uow, pid, leaver), await planned(uow, pid)
    now = mine.sessions[0].ends_at
    cmd = EndParticipation(leaver.participant_id, None, pid, "participant_withdrew", now, uuid.uuid4(), uuid.uuid4())
    assert await handlers.end_participation(cmd, uow) == 2
    assert [s.status for s in mine.sessions] == ["scheduled", "cancelled", "cancelled"]
    assert mine.status == "dissolved" and other.status == "planned"
    assert {e.reason for e in of(uow, SessionCancelled)} == {"participant_withdrew"}
    assert len(uow.calendars.items[leaver.participant_id].bookings) == 1
    assert await handlers.end_participation(cmd, uow) == 0, "a replay cancels nothing more"


async def test_a_dissolved_pair_has_its_future_sessions_cancelled():
    uow = FakeSchedulingUnitOfWork()
    pid = await programme(uow, SessionPlan(2, 60, 7))
    p = await planned(uow, pid)
    cmd = EndParticipation(None, p.pair_id, pid, "pair_dissolved", datetime(2026, 1, 1, tzinfo=UTC),
                           uuid.uuid4(), uuid.uuid4())
    assert await handlers.end_participation(cmd, uow) == 2
    assert {e.reason for e in of(uow, SessionCancelled)} == {"pair_dissolved"}
