"""What every use case shares: the pair's slot finder from its members' calendars, and the
ordered writes (calendars first, then the pair with its events)."""

from uuid import UUID

from scheduling import outgoing as out
from scheduling.domain.model import Session, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import Booking, ParticipantCalendar
from scheduling.domain.planner import Attendee, Finder
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.concurrently import all_settled
from shared.contracts import IntegrationEvent


async def calendars_of(pair: PairSchedule, uow: SchedulingUnitOfWork,
                       presumed: bool = False) -> list[ParticipantCalendar]:
    """Both members' calendars, concurrently; `presumed` (a new pair): those this process never met are not
    read but presumed absent, and claimed by insert (adapters/calendars.py)."""
    get = uow.calendars.presumed if presumed else uow.calendars.get
    return await all_settled(get(m.participant_id) for m in pair.members)


def finder_for(pair: PairSchedule, calendars: list[ParticipantCalendar], plan: SessionPlan | None = None) -> Finder:
    plan = plan or pair.plan_used or SessionPlan()
    attendees = tuple(Attendee(m.profile, tuple(c.busy(except_owner=pair.pair_id)))
                      for m, c in zip(pair.members, calendars, strict=True))
    return Finder(attendees, plan.calendar(pair.not_before), tuple(calendars[0].groups(except_owner=pair.pair_id)),
                  plan.mentor_capacity)


def booked(pair: PairSchedule, calendars: list[ParticipantCalendar]) -> list[ParticipantCalendar]:
    """Books the pair's sessions in its members' calendars; returns the calendars that changed."""
    wanted = [Booking(s.session_id, pair.pair_id, s.starts_at, s.ends_at, s.group_key)
              for s in pair.sessions if s.status in ("scheduled", "completed")]
    return [calendar for calendar in calendars if calendar.sync(pair.pair_id, wanted)]


def save_booked(pair: PairSchedule, calendars: list[ParticipantCalendar], events: list[IntegrationEvent],
                uow: SchedulingUnitOfWork, new: bool = False) -> None:
    for calendar in booked(pair, calendars):
        uow.calendars.save(calendar)
    (uow.pairs.add if new else uow.pairs.save)(pair, events)


def cancelled_since(pair: PairSchedule, before: set[UUID]) -> list[Session]:
    return [s for s in pair.sessions if s.status == "cancelled" and s.session_id not in before]


def cancelled_ids(pair: PairSchedule) -> set[UUID]:
    return {s.session_id for s in pair.sessions if s.status == "cancelled"}


async def plan_with_calendars(pair: PairSchedule, uow: SchedulingUnitOfWork, plan: SessionPlan, flow: dict,
                              new: bool = False) -> tuple[list[ParticipantCalendar], list[IntegrationEvent]]:
    calendars = await calendars_of(pair, uow, presumed=new)
    sessions = pair.plan(plan, finder_for(pair, calendars, plan))
    events = [*out.scheduled(pair, sessions, **flow), *out.unschedulable(pair, **flow)]
    return calendars, events


