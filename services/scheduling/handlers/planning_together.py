"""Planning a run of new pairs together: consecutive PairCreated of a polled batch (issue 14).

One at a time, each pair costs a dozen sequential store round trips. Together, the run's reads are
concurrent (tombstones, stored pairs, each programme's plan once, each member's calendar once, and only
those this process has met: adapters/calendars.py), the
pairs are planned in the run's order against those calendars held in memory (so a person in two
pairs of the run is booked once for each, never twice at one time, as one at a time would), and the
writes keep their order: every changed calendar (version-checked claims, concurrently), then every
look-up the pairs need, then the pairs with their events in one insert. A crash or a lost race in
between converges like one pair's plan: the consumer then applies each event alone, and a plan
ignores its own pair's bookings.

A run holding a pair already stored (a replay) or waiting for its programme is planned one pair at
a time, with exactly the effects of one event after the other.
"""

from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar
from uuid import UUID

from scheduling import outgoing as out
from scheduling.domain.commands import PlanPair
from scheduling.domain.participant_calendar import ParticipantCalendar
from scheduling.handlers.bookings import booked, finder_for
from scheduling.handlers.planning import plan_pair
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.concurrently import all_settled

T = TypeVar("T")


async def plan_pairs(cmds: list[PlanPair], uow: SchedulingUnitOfWork) -> None:
    erased, stored, plans = await all_settled([
        all_settled(uow.tombstones.erased(c.pair.mentor.participant_id, c.pair.mentee.participant_id) for c in cmds),
        all_settled(uow.pairs.get(c.pair.pair_id) for c in cmds),
        _each(uow.plans.get, (c.pair.programme_id for c in cmds))])
    live = [c for c, gone in zip(cmds, erased, strict=True) if not gone]  # an erased member: nothing planned
    if any(s is not None for s, gone in zip(stored, erased, strict=True) if not gone) or any(
            plans[c.pair.programme_id] is None for c in live):
        for cmd in cmds:
            await plan_pair(cmd, uow)
        return
    # Members this process never met are presumed new (no read): their calendars are claimed by insert.
    calendars = await _each(uow.calendars.presumed, (m.participant_id for c in live for m in c.pair.members))
    changed: dict[UUID, ParticipantCalendar] = {}
    planned = []
    for cmd in live:
        pair, plan = cmd.pair, plans[cmd.pair.programme_id]
        own = [calendars[m.participant_id] for m in pair.members]
        flow = out.flow(cmd.correlation_id, cmd.causation_id)
        sessions = pair.plan(plan, finder_for(pair, own, plan))
        planned.append((pair, [*out.scheduled(pair, sessions, **flow), *out.unschedulable(pair, **flow)]))
        changed.update((c.participant_id, c) for c in booked(pair, own))
    uow.calendars.save_all(list(changed.values()))
    uow.pairs.add_all(planned)
    await uow.commit()


async def _each(get: Callable[[UUID], Awaitable[T]], ids: Iterable[UUID]) -> dict[UUID, T]:
    """`get` of each distinct id, concurrently."""
    distinct = list(dict.fromkeys(ids))
    return dict(zip(distinct, await all_settled(get(i) for i in distinct), strict=True))
