"""Small builders shared by the scheduling unit tests."""

import uuid
from datetime import UTC, datetime

from scheduling import handlers
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.commands import PlanPair, RegisterProgramme
from scheduling.domain.model import Member, SessionPlan
from scheduling.domain.pair import PairSchedule
from tests.fakes.scheduling import FakeSchedulingUnitOfWork

WEEKDAYS = tuple(Slot(d, "09:00", "17:00") for d in range(5))
MONDAY = datetime(2026, 6, 1, 6, tzinfo=UTC)


def member(tz: str = "Europe/Paris", slots=WEEKDAYS, country: str = "FR") -> Member:
    return Member(uuid.uuid4(), country, WeeklyAvailability(tz, slots))


def ids() -> dict:
    return {"correlation_id": uuid.uuid4(), "causation_id": uuid.uuid4()}


async def programme(uow: FakeSchedulingUnitOfWork, plan: SessionPlan = SessionPlan(6, 60, 7)) -> uuid.UUID:
    programme_id = uuid.uuid4()
    await handlers.register_programme(RegisterProgramme(programme_id, plan, **ids()), uow)
    return programme_id


async def planned(uow: FakeSchedulingUnitOfWork, programme_id: uuid.UUID, mentor: Member | None = None,
                  mentee: Member | None = None, not_before: datetime = MONDAY) -> PairSchedule:
    p = PairSchedule(uuid.uuid4(), programme_id, "FR", mentor or member(), mentee or member(), not_before)
    return await handlers.plan_pair(PlanPair(p, **ids()), uow)
