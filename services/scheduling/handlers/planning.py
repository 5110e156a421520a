"""Planning a pair's series once both its programme and the pair are known.

The ProgrammeLaunched and PairCreated consumers run concurrently. Each writes its own document
before reading the other's (the plan before looking for waiting pairs; the waiting pair before
looking again for the plan), so at least one of them sees both and plans the pair; if both do,
the version checks let one win and the other's retry finds the pair planned.
"""

from scheduling import outgoing as out
from scheduling.domain.commands import PlanPair, RegisterProgramme
from scheduling.domain.model import SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.handlers.bookings import plan_with_calendars, save_booked
from scheduling.unit_of_work import SchedulingUnitOfWork


async def register_programme(cmd: RegisterProgramme, uow: SchedulingUnitOfWork) -> int:
    """Stores the programme's session plan and plans the pairs that were waiting for it."""
    uow.plans.put(cmd.programme_id, cmd.plan)
    await uow.commit()
    waiting = await uow.pairs.awaiting_programme(cmd.programme_id)
    for pair in waiting:
        await _plan(pair, cmd.plan, out.flow(cmd.correlation_id, cmd.causation_id), uow)
    return len(waiting)


async def plan_pair(cmd: PlanPair, uow: SchedulingUnitOfWork) -> PairSchedule:
    flow = out.flow(cmd.correlation_id, cmd.causation_id)
    if await uow.tombstones.erased(cmd.pair.mentor.participant_id, cmd.pair.mentee.participant_id):
        return cmd.pair  # a member was erased before the pair reached us: nothing is planned or stored
    pair = await uow.pairs.get(cmd.pair.pair_id)
    if pair is None:
        pair = cmd.pair
        plan = await uow.plans.get(pair.programme_id)
        if plan is not None:
            await _plan(pair, plan, flow, uow, new=True)
            return pair
        uow.pairs.add(pair, [])
        await uow.commit()
        pair = await uow.pairs.get(cmd.pair.pair_id) or pair
    if pair.status != "awaiting_programme":
        return pair  # a replay, or the programme's consumer planned it meanwhile
    plan = await uow.plans.get(pair.programme_id)
    if plan is not None:
        await _plan(pair, plan, flow, uow)
    return pair


async def _plan(pair: PairSchedule, plan: SessionPlan, flow: dict, uow: SchedulingUnitOfWork,
                new: bool = False) -> None:
    calendars, events = await plan_with_calendars(pair, uow, plan, flow, new=new)
    save_booked(pair, calendars, events, uow, new=new)
    await uow.commit()  # one pair at a time, so the next plan sees this one's claims
