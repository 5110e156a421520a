"""The enrollment service's unit of work: its repositories, staged and committed together."""

from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from enrollment.domain.model import Participant, Programme
from shared.contracts import IntegrationEvent
from shared.unit_of_work import UnitOfWork


class Programmes(Protocol):
    async def get(self, programme_id: UUID) -> Programme | None: ...
    def add(self, programme: Programme, events: list[IntegrationEvent]) -> None: ...


class Participants(Protocol):
    async def get(self, participant_id: UUID) -> Participant | None: ...
    async def page(self, programme_id: UUID, offset: int, limit: int) -> tuple[list[Participant], int]: ...
    def add(self, participant: Participant, events: list[IntegrationEvent]) -> None: ...
    def save(self, participant: Participant, events: list[IntegrationEvent]) -> None: ...


class EnrollmentUnitOfWork(UnitOfWork):
    programmes: Programmes
    participants: Participants


UnitOfWorkFactory = Callable[[], EnrollmentUnitOfWork]
