"""Reminders and inactivity at a given instant (the caller's clock)."""

from datetime import datetime
from uuid import UUID

from scheduling import outgoing as out
from scheduling.domain.activity import check_inactivity, due_reminders
from scheduling.domain.commands import (
    Tick,
)
from scheduling.domain.pair import PairSchedule
from scheduling.handlers.bookings import calendars_of, cancelled_ids, cancelled_since, finder_for, save_booked
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.contracts import IntegrationEvent


async def tick(cmd: Tick, uow: SchedulingUnitOfWork) -> dict[str, int]:
    """Reminders due, inactivity checks and pending sessions at `cmd.now`; the clock is the caller's.
    Only the pairs the agenda has filed as due are read; a pair written since is filed again by its
    repository (a partly planned pair stays due at every tick until its series is placed or its deadline)."""
    counts = {"reminders": 0, "at_risk": 0, "closed": 0, "placed": 0, "unschedulable": 0}
    if not await uow.agenda.seeded():
        await _seed(cmd, uow)
    handled: set[tuple[UUID, str]] = set()
    while due := [d for d in await uow.agenda.due(cmd.now, cmd.batch + len(handled)) if d not in handled]:
        waiting = []  # nothing to do yet: filed under their next check, together
        for pair_id, filed in due:
            handled.add((pair_id, filed))
            pair = await uow.pairs.get(pair_id)
            if pair is not None and not await _tick_pair(pair, cmd.now, cmd, counts, uow):
                waiting.append(pair)
        # Filed before their entries are dropped (a crash leaves an extra entry, never a lost one); a
        # bucket is rewritten once per batch, not once per pair.
        await uow.agenda.file_many(waiting, cmd.now)
        await uow.agenda.done_many(due)
    return counts


async def _seed(cmd: Tick, uow: SchedulingUnitOfWork) -> None:
    """Once per database: files the pairs stored before the agenda existed, in one pass over them (a
    bulk write of the agenda per batch, not one per pair)."""
    async for batch in uow.pairs.active_batches(cmd.batch):
        await uow.agenda.file_many(batch, cmd.now)
    await uow.agenda.mark_seeded()


async def _tick_pair(pair: PairSchedule, now: datetime, cmd: Tick, counts: dict[str, int],
                     uow: SchedulingUnitOfWork) -> bool:
    """True when the pair changed (and was written, which files it anew)."""
    f = out.flow(cmd.correlation_id)
    due = due_reminders(pair, now, cmd.timing)
    before = cancelled_ids(pair)
    verdict = check_inactivity(pair, now, cmd.timing)
    events: list[IntegrationEvent] = list(out.reminders(pair, due, **f))
    counts["reminders"] += len(due)
    if verdict == "at_risk":
        events.append(out.at_risk(pair, cmd.timing, **f))
    elif verdict == "closed":
        cancelled = cancelled_since(pair, before)
        events += [*out.cancelled(pair, cancelled, "closed_inactive", **f), out.closed(pair, len(cancelled), **f)]
    if verdict:
        counts[verdict] += 1
    calendars = None
    if pair.status == "partially_planned":  # calendars may have freed up, or the deadline come
        calendars = await calendars_of(pair, uow)
        find = finder_for(pair, calendars)
        placed = pair.retry(find, now)  # first on their cadence dates, so announced sessions stay
        if pair.rearranged(find, now) is not None:  # else the whole series fits elsewhere now: move it
            new, moved, _ = pair.replan_future(find, now)
            placed += new
            events += out.rescheduled(pair, moved, **f)
        events += [*out.scheduled(pair, placed, **f), *out.unschedulable(pair, **f)]
        counts["placed"] += len(placed)
        counts["unschedulable"] += pair.status == "unschedulable"
    if events:
        save_booked(pair, calendars or await calendars_of(pair, uow), events, uow)
        await uow.commit()
    return bool(events)
