from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from scheduling.domain.model import PairSchedule, SessionPlan
from shared.contracts import IntegrationEvent
from shared.unit_of_work import UnitOfWork


class ProgrammePlans(Protocol):
    async def get(self, programme_id: UUID) -> SessionPlan | None: ...
    def put(self, programme_id: UUID, plan: SessionPlan) -> None: ...


class PairSchedules(Protocol):
    async def get(self, pair_id: UUID) -> PairSchedule | None: ...
    async def with_session(self, session_id: UUID) -> PairSchedule | None: ...
    async def awaiting_programme(self, programme_id: UUID) -> list[PairSchedule]: ...
    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[PairSchedule], int]: ...
    def add(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None: ...
    def save(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None: ...


class SchedulingUnitOfWork(UnitOfWork):
    plans: ProgrammePlans
    pairs: PairSchedules


UnitOfWorkFactory = Callable[[], SchedulingUnitOfWork]
