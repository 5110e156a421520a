"""Use cases of the scheduling service (the only place that commits).

Writes are ordered so a crash between them converges on replay: participant calendars (the
version-checked claims that prevent double booking) first, then the pair with its events. A
claim that loses a race raises ConcurrentUpdate/AlreadyExists and the whole use case is retried
on fresh state (by the consumer's retries, or by the HTTP entrypoint).
"""

from datetime import datetime
from uuid import UUID

from scheduling import outgoing as out
from scheduling.domain.commands import (
    CancelSession,
    CompleteSession,
    EndParticipation,
    MarkMissed,
    PlanPair,
    RegisterProgramme,
    RescheduleSession,
    Tick,
)
from scheduling.domain.model import Session, SessionNotFound, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import Booking, ParticipantCalendar
from scheduling.domain.planner import Attendee, Finder
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.contracts import IntegrationEvent


async def _calendars(pair: PairSchedule, uow: SchedulingUnitOfWork) -> list[ParticipantCalendar]:
    return [await uow.calendars.get(m.participant_id) for m in pair.members]


def _finder(pair: PairSchedule, calendars: list[ParticipantCalendar]) -> Finder:
    return Finder(tuple(Attendee(m.country, m.availability, tuple(c.busy(except_owner=pair.pair_id)))
                        for m, c in zip(pair.members, calendars, strict=True)))


def _save(pair: PairSchedule, calendars: list[ParticipantCalendar], events: list[IntegrationEvent],
          uow: SchedulingUnitOfWork, new: bool = False) -> None:
    wanted = [Booking(s.session_id, pair.pair_id, s.starts_at, s.ends_at)
              for s in pair.sessions if s.status in ("scheduled", "completed")]
    for calendar in calendars:
        if calendar.sync(pair.pair_id, wanted):
            uow.calendars.save(calendar)
    (uow.pairs.add if new else uow.pairs.save)(pair, events)


def _cancelled_since(pair: PairSchedule, before: set[UUID]) -> list[Session]:
    return [s for s in pair.sessions if s.status == "cancelled" and s.session_id not in before]


def _cancelled_ids(pair: PairSchedule) -> set[UUID]:
    return {s.session_id for s in pair.sessions if s.status == "cancelled"}


async def _plan(pair: PairSchedule, uow: SchedulingUnitOfWork, plan: SessionPlan,
                flow: dict) -> tuple[list[ParticipantCalendar], list[IntegrationEvent]]:
    calendars = await _calendars(pair, uow)
    sessions = pair.plan(plan, _finder(pair, calendars))
    events = [*out.scheduled(pair, sessions, **flow), *out.unschedulable(pair, **flow)]
    return calendars, events


async def register_programme(cmd: RegisterProgramme, uow: SchedulingUnitOfWork) -> int:
    """Stores the programme's session plan and plans the pairs that were waiting for it."""
    uow.plans.put(cmd.programme_id, cmd.plan)
    waiting = await uow.pairs.awaiting_programme(cmd.programme_id)
    for pair in waiting:
        calendars, events = await _plan(pair, uow, cmd.plan, out.flow(cmd.correlation_id, cmd.causation_id))
        _save(pair, calendars, events, uow)
        await uow.commit()  # one pair at a time, so the next sees this one's claims
    await uow.commit()
    return len(waiting)


async def plan_pair(cmd: PlanPair, uow: SchedulingUnitOfWork) -> PairSchedule:
    existing = await uow.pairs.get(cmd.pair.pair_id)
    if existing is not None:
        return existing
    pair = cmd.pair
    plan = await uow.plans.get(pair.programme_id)
    calendars, events = [], []
    if plan:
        calendars, events = await _plan(pair, uow, plan, out.flow(cmd.correlation_id, cmd.causation_id))
    _save(pair, calendars, events, uow, new=True)
    await uow.commit()
    return pair


async def _pair_of(session_id: UUID, uow: SchedulingUnitOfWork) -> PairSchedule:
    pair = await uow.pairs.with_session(session_id)
    if pair is None:
        raise SessionNotFound(session_id)
    return pair


async def reschedule_session(cmd: RescheduleSession, uow: SchedulingUnitOfWork) -> tuple[PairSchedule, Session]:
    pair = await _pair_of(cmd.session_id, uow)
    calendars, before = await _calendars(pair, uow), _cancelled_ids(pair)
    moved = pair.reschedule(cmd.session_id, cmd.starts_at, _finder(pair, calendars))
    if moved:
        cancelled = _cancelled_since(pair, before)
        events = [*out.rescheduled(pair, moved, **out.flow(cmd.correlation_id)),
                  *out.cancelled(pair, cancelled, "no_slot_left", **out.flow(cmd.correlation_id))]
        _save(pair, calendars, events, uow)
        await uow.commit()
    return pair, pair.session(cmd.session_id)


async def cancel_session(cmd: CancelSession, uow: SchedulingUnitOfWork) -> tuple[PairSchedule, Session | None]:
    pair = await _pair_of(cmd.session_id, uow)
    if pair.session(cmd.session_id).status == "cancelled":
        return pair, None  # an idempotent re-send
    calendars, before = await _calendars(pair, uow), _cancelled_ids(pair)
    cancelled, replacement, moved = pair.cancel(cmd.session_id, "requested", cmd.now, cmd.replan,
                                                _finder(pair, calendars))
    f = out.flow(cmd.correlation_id)
    dropped = [s for s in _cancelled_since(pair, before) if s is not cancelled]
    events = [*out.cancelled(pair, [cancelled], "requested", **f), *out.cancelled(pair, dropped, "no_slot_left", **f),
              *out.scheduled(pair, [replacement] if replacement else [], **f), *out.rescheduled(pair, moved, **f)]
    _save(pair, calendars, events, uow)
    await uow.commit()
    return pair, replacement


async def complete_session(cmd: CompleteSession, uow: SchedulingUnitOfWork) -> tuple[PairSchedule, Session]:
    pair = await _pair_of(cmd.session_id, uow)
    changed = pair.complete(cmd.session_id, cmd.completed_at, cmd.actual_minutes, list(cmd.modules_covered))
    session = pair.session(cmd.session_id)
    if changed:
        f = out.flow(cmd.correlation_id)
        events: list[IntegrationEvent] = [out.completed(pair, session, **f)]
        if pair.finish_if_done():
            events.append(out.pair_completed(pair, cmd.completed_at, **f))
        uow.pairs.save(pair, events)
        await uow.commit()
    return pair, session


async def mark_missed(cmd: MarkMissed, uow: SchedulingUnitOfWork) -> tuple[PairSchedule, Session]:
    pair = await _pair_of(cmd.session_id, uow)
    if pair.miss(cmd.session_id):
        calendars = await _calendars(pair, uow)
        _save(pair, calendars, [out.missed(pair, pair.session(cmd.session_id), **out.flow(cmd.correlation_id))], uow)
        await uow.commit()
    return pair, pair.session(cmd.session_id)


async def end_participation(cmd: EndParticipation, uow: SchedulingUnitOfWork) -> int:
    """Cancels the future sessions of the pairs concerned; returns how many were cancelled."""
    if cmd.pair_id is not None:
        found = await uow.pairs.get(cmd.pair_id)
        pairs = [found] if found else []
    else:
        assert cmd.participant_id is not None
        pairs = await uow.pairs.of_participant(cmd.participant_id, cmd.programme_id)
    total = 0
    for pair in pairs:
        if pair.status in ("completed", "dissolved", "closed_inactive"):
            continue
        cancelled = pair.cancel_future(cmd.now, cmd.reason, "dissolved")
        _save(pair, await _calendars(pair, uow),
              out.cancelled(pair, cancelled, cmd.reason, **out.flow(cmd.correlation_id, cmd.causation_id)), uow)
        await uow.commit()
        total += len(cancelled)
    return total


async def tick(cmd: Tick, uow: SchedulingUnitOfWork) -> dict[str, int]:
    """Reminders due and inactivity checks at `cmd.now`; the clock is the caller's."""
    counts = {"reminders": 0, "at_risk": 0, "closed": 0}
    after: UUID | None = None
    while batch := await uow.pairs.active_after(after, cmd.batch):
        for pair in batch:
            await _tick_pair(pair, cmd.now, cmd, counts, uow)
        after = batch[-1].pair_id
    return counts


async def _tick_pair(pair: PairSchedule, now: datetime, cmd: Tick, counts: dict[str, int],
                     uow: SchedulingUnitOfWork) -> None:
    f = out.flow(cmd.correlation_id)
    due = pair.due_reminders(now, cmd.timing)
    before = _cancelled_ids(pair)
    verdict = pair.check_inactivity(now, cmd.timing)
    events: list[IntegrationEvent] = list(out.reminders(pair, due, **f))
    counts["reminders"] += len(due)
    if verdict == "at_risk":
        events.append(out.at_risk(pair, cmd.timing, **f))
    elif verdict == "closed":
        cancelled = _cancelled_since(pair, before)
        events += [*out.cancelled(pair, cancelled, "closed_inactive", **f), out.closed(pair, len(cancelled), **f)]
    if verdict:
        counts[verdict] += 1
    if events:
        _save(pair, await _calendars(pair, uow), events, uow)
        await uow.commit()
