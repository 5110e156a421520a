"""Changes to a series: reschedule, cancel, complete, missed, withdrawal and dissolution."""

from uuid import UUID

from scheduling import outgoing as out
from scheduling.domain.commands import (
    CancelSession,
    CompleteSession,
    EndParticipation,
    MarkMissed,
    RescheduleSession,
)
from scheduling.domain.model import Session, SessionNotFound
from scheduling.domain.pair import PairSchedule
from scheduling.handlers.bookings import calendars_of, cancelled_ids, cancelled_since, finder_for, save_booked
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.contracts import IntegrationEvent


async def _pair_of(session_id: UUID, uow: SchedulingUnitOfWork) -> PairSchedule:
    pair = await uow.pairs.with_session(session_id)
    if pair is None:
        raise SessionNotFound(session_id)
    return pair


async def reschedule_session(cmd: RescheduleSession, uow: SchedulingUnitOfWork) -> tuple[PairSchedule, Session]:
    pair = await _pair_of(cmd.session_id, uow)
    calendars, before = await calendars_of(pair, uow), cancelled_ids(pair)
    moved = pair.reschedule(cmd.session_id, cmd.starts_at, cmd.now, finder_for(pair, calendars))
    if moved:
        cancelled = cancelled_since(pair, before)
        events = [*out.rescheduled(pair, moved, **out.flow(cmd.correlation_id)),
                  *out.cancelled(pair, cancelled, "no_slot_left", **out.flow(cmd.correlation_id))]
        save_booked(pair, calendars, events, uow)
        await uow.commit()
    return pair, pair.session(cmd.session_id)


async def cancel_session(cmd: CancelSession, uow: SchedulingUnitOfWork) -> tuple[PairSchedule, Session | None]:
    pair = await _pair_of(cmd.session_id, uow)
    if pair.session(cmd.session_id).status == "cancelled":
        return pair, None  # an idempotent re-send
    calendars, before = await calendars_of(pair, uow), cancelled_ids(pair)
    cancelled, replacement, moved = pair.cancel(cmd.session_id, "requested", cmd.now, cmd.replan,
                                                finder_for(pair, calendars))
    f = out.flow(cmd.correlation_id)
    dropped = [s for s in cancelled_since(pair, before) if s is not cancelled]
    events = [*out.cancelled(pair, [cancelled], "requested", **f), *out.cancelled(pair, dropped, "no_slot_left", **f),
              *out.scheduled(pair, [replacement] if replacement else [], **f), *out.rescheduled(pair, moved, **f)]
    save_booked(pair, calendars, events, uow)
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
        calendars = await calendars_of(pair, uow)
        missed = out.missed(pair, pair.session(cmd.session_id), **out.flow(cmd.correlation_id))
        save_booked(pair, calendars, [missed], uow)
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
        events = out.cancelled(pair, cancelled, cmd.reason, **out.flow(cmd.correlation_id, cmd.causation_id))
        save_booked(pair, await calendars_of(pair, uow), events, uow)
        await uow.commit()
        total += len(cancelled)
    return total


