"""Planning a pair's series when its programme and the pair are both known."""


from scheduling import outgoing as out
from scheduling.domain.commands import (
    PlanPair,
    RegisterProgramme,
)
from scheduling.domain.pair import PairSchedule
from scheduling.handlers.bookings import plan_with_calendars, save_booked
from scheduling.unit_of_work import SchedulingUnitOfWork


async def register_programme(cmd: RegisterProgramme, uow: SchedulingUnitOfWork) -> int:
    """Stores the programme's session plan and plans the pairs that were waiting for it."""
    uow.plans.put(cmd.programme_id, cmd.plan)
    waiting = await uow.pairs.awaiting_programme(cmd.programme_id)
    for pair in waiting:
        flow = out.flow(cmd.correlation_id, cmd.causation_id)
        calendars, events = await plan_with_calendars(pair, uow, cmd.plan, flow)
        save_booked(pair, calendars, events, uow)
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
        calendars, events = await plan_with_calendars(pair, uow, plan, out.flow(cmd.correlation_id, cmd.causation_id))
    save_booked(pair, calendars, events, uow, new=True)
    await uow.commit()
    return pair


