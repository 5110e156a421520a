from uuid import UUID

from scheduling.domain.model import PairSchedule, SessionPlan
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AlreadyExists
from tests.fakes.memory import FakeAggregates


class FakePlans:
    def __init__(self, uow: SchedulingUnitOfWork) -> None:
        self.uow = uow
        self.items: dict[UUID, SessionPlan] = {}

    async def get(self, programme_id: UUID) -> SessionPlan | None:
        return self.items.get(programme_id)

    def put(self, programme_id: UUID, plan: SessionPlan) -> None:
        async def write() -> None:
            self.items[programme_id] = plan

        self.uow.stage(write)


class FakePairSchedules(FakeAggregates):
    def __init__(self, uow: SchedulingUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, pair_id: UUID) -> PairSchedule | None:
        return self.items.get(pair_id)

    async def with_session(self, session_id: UUID) -> PairSchedule | None:
        return next((p for p in self.items.values() if any(s.session_id == session_id for s in p.sessions)), None)

    async def awaiting_programme(self, programme_id: UUID) -> list[PairSchedule]:
        return [p for p in self.items.values() if p.programme_id == programme_id and p.status == "awaiting_programme"]

    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[PairSchedule], int]:
        pairs = [p for p in self.items.values() if programme_id in (None, p.programme_id)]
        return pairs[offset:offset + limit], len(pairs)

    def add(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            try:
                self.insert(pair.pair_id, pair, events)
            except AlreadyExists:
                pass

        self.uow.stage(write)

    def save(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.update(pair.pair_id, pair, events)

        self.uow.stage(write)


class FakeSchedulingUnitOfWork(SchedulingUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.plans = FakePlans(self)
        self.pairs = FakePairSchedules(self)
