"""Use cases of the scheduling service."""

from uuid import UUID

from scheduling.domain.commands import CompleteSession, PlanPair, RegisterProgramme
from scheduling.domain.model import PairSchedule, Session, SessionNotFound
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.contracts import SessionCompleted, SessionScheduled


async def register_programme(cmd: RegisterProgramme, uow: SchedulingUnitOfWork) -> int:
    """Stores the programme's session plan and plans the pairs that were waiting for it."""
    uow.plans.put(cmd.programme_id, cmd.plan)
    waiting = await uow.pairs.awaiting_programme(cmd.programme_id)
    for pair in waiting:
        sessions = pair.plan(cmd.plan)
        uow.pairs.save(pair, _scheduled(pair, sessions, cmd.correlation_id, cmd.causation_id))
    await uow.commit()
    return len(waiting)


async def plan_pair(cmd: PlanPair, uow: SchedulingUnitOfWork) -> PairSchedule:
    existing = await uow.pairs.get(cmd.pair.pair_id)
    if existing is not None:
        return existing
    pair = cmd.pair
    plan = await uow.plans.get(pair.programme_id)
    sessions = pair.plan(plan) if plan else []
    uow.pairs.add(pair, _scheduled(pair, sessions, cmd.correlation_id, cmd.causation_id))
    await uow.commit()
    return pair


async def complete_session(cmd: CompleteSession, uow: SchedulingUnitOfWork) -> tuple[PairSchedule, Session]:
    pair = await uow.pairs.with_session(cmd.session_id)
    if pair is None:
        raise SessionNotFound(cmd.session_id)
    changed = pair.complete(cmd.session_id, cmd.completed_at, cmd.actual_minutes)
    session = next(s for s in pair.sessions if s.session_id == cmd.session_id)
    if changed:
        uow.pairs.save(pair, [_completed(pair, session, cmd.correlation_id)])
        await uow.commit()
    return pair, session


def _scheduled(
    pair: PairSchedule, sessions: list[Session], correlation_id: UUID, causation_id: UUID
) -> list[SessionScheduled]:
    return [
        SessionScheduled(
            session_id=s.session_id,
            pair_id=pair.pair_id,
            programme_id=pair.programme_id,
            sequence=s.sequence,
            starts_at=s.starts_at,
            duration_minutes=s.duration_minutes,
            mentor_id=pair.mentor.participant_id,
            mentee_id=pair.mentee.participant_id,
            correlation_id=correlation_id,
            causation_id=causation_id,
        )
        for s in sessions
    ]


def _completed(pair: PairSchedule, s: Session, correlation_id: UUID) -> SessionCompleted:
    assert s.completed_at is not None and s.actual_minutes is not None
    return SessionCompleted(
        session_id=s.session_id,
        pair_id=pair.pair_id,
        programme_id=pair.programme_id,
        country=pair.country,
        sequence=s.sequence,
        completed_at=s.completed_at,
        actual_minutes=s.actual_minutes,
        mentor_id=pair.mentor.participant_id,
        mentee_id=pair.mentee.participant_id,
        correlation_id=correlation_id,
    )
