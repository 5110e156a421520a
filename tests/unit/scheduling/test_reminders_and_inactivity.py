import uuid
from datetime import timedelta

from scheduling import handlers
from scheduling.domain.commands import CompleteSession, Tick
from scheduling.domain.model import SessionPlan, Timing
from shared.contracts import PairAtRisk, PairClosedInactive, SessionCancelled, SessionReminderDue
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling.builders import MONDAY, planned, programme

TIMING = Timing(reminder_before=timedelta(hours=2), inactive_after=timedelta(days=10),
                warning_period=timedelta(days=5))


def of(uow, kind):
    return [e for e in uow.pairs.events if isinstance(e, kind)]


async def tick(uow, now):
    return await handlers.tick(Tick(now, TIMING, uuid.uuid4(), batch=2), uow)


async def test_a_reminder_is_due_once_the_configured_time_before_each_session():
    uow = FakeSchedulingUnitOfWork()
    p = await planned(uow, await programme(uow, SessionPlan(2, 60, 14)))
    first = p.sessions[0]
    assert (await tick(uow, first.starts_at - timedelta(hours=3)))["reminders"] == 0
    assert (await tick(uow, first.starts_at - timedelta(hours=2)))["reminders"] == 1
    assert (await tick(uow, first.starts_at - timedelta(minutes=30)))["reminders"] == 0
    assert [e.session_id for e in of(uow, SessionReminderDue)] == [first.session_id]


async def test_a_quiet_pair_is_flagged_at_risk_then_closed_after_the_warning_period():
    uow = FakeSchedulingUnitOfWork()
    p = await planned(uow, await programme(uow, SessionPlan(6, 60, 7)))
    assert (await tick(uow, MONDAY + timedelta(days=9)))["at_risk"] == 0
    assert (await tick(uow, MONDAY + timedelta(days=10)))["at_risk"] == 1
    assert (await tick(uow, MONDAY + timedelta(days=12)))["at_risk"] == 0, "flagged once"
    risk = of(uow, PairAtRisk)
    assert len(risk) == 1 and risk[0].closes_at == MONDAY + timedelta(days=15)
    counts = await tick(uow, MONDAY + timedelta(days=15))
    assert counts["closed"] == 1 and p.status == "closed_inactive"
    closed = of(uow, PairClosedInactive)
    assert len(closed) == 1 and closed[0].sessions_cancelled == len(of(uow, SessionCancelled)) > 0
    assert not any((await tick(uow, MONDAY + timedelta(days=40))).values())


async def test_completing_a_session_clears_the_risk_flag():
    uow = FakeSchedulingUnitOfWork()
    p = await planned(uow, await programme(uow, SessionPlan(6, 60, 7)))
    await tick(uow, MONDAY + timedelta(days=10))
    first = p.sessions[0]
    await handlers.complete_session(CompleteSession(first.session_id, 60, MONDAY + timedelta(days=11),
                                                    uuid.uuid4()), uow)
    assert p.at_risk_since is None
    assert (await tick(uow, MONDAY + timedelta(days=16)))["closed"] == 0
    assert (await tick(uow, MONDAY + timedelta(days=21)))["at_risk"] == 1
