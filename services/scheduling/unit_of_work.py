from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from scheduling.domain.cafe import Cafe
from scheduling.domain.model import SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import ParticipantCalendar
from shared.contracts import IntegrationEvent
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import Erasure, Keys, Tombstones, UnitOfWork


class ProgrammePlans(Protocol):
    async def get(self, programme_id: UUID) -> SessionPlan | None: ...
    def put(self, programme_id: UUID, plan: SessionPlan) -> None: ...


class PairSchedules(Protocol):
    async def get(self, pair_id: UUID) -> PairSchedule | None: ...
    async def with_session(self, session_id: UUID) -> PairSchedule | None: ...
    async def awaiting_programme(self, programme_id: UUID) -> list[PairSchedule]: ...
    async def of_participant(self, participant_id: UUID, programme_id: UUID | None) -> list[PairSchedule]: ...
    async def active_after(self, after_id: UUID | None, limit: int) -> list[PairSchedule]: ...
    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[PairSchedule], int]: ...
    async def matching(self, programme_id: UUID | None, country: str | None,
                       scope: Scope = EVERYTHING) -> list[PairSchedule]: ...
    def add(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None: ...
    def save(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None: ...


class ParticipantCalendars(Protocol):
    async def get(self, participant_id: UUID) -> ParticipantCalendar: ...
    def save(self, calendar: ParticipantCalendar) -> None: ...


class Cafes(Protocol):
    async def get(self, cafe_id: UUID) -> Cafe | None: ...
    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Cafe], int]: ...
    def add(self, cafe: Cafe, events: list[IntegrationEvent]) -> None: ...
    def save(self, cafe: Cafe, events: list[IntegrationEvent]) -> None: ...



class SchedulingUnitOfWork(UnitOfWork):
    plans: ProgrammePlans
    pairs: PairSchedules
    calendars: ParticipantCalendars
    cafes: Cafes
    erasure: Erasure
    tombstones: Tombstones
    keys: Keys


UnitOfWorkFactory = Callable[[], SchedulingUnitOfWork]
