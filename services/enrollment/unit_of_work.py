"""The enrollment service's unit of work: its repositories, staged and committed together."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, Protocol
from uuid import UUID

from enrollment.domain.curriculum import Curriculum
from enrollment.domain.model import Participant, Programme
from shared.contracts import IntegrationEvent
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import Erasure, Tombstones, UnitOfWork


@dataclass(frozen=True)
class ParticipantFilter:
    programme_id: UUID
    country: str | None = None
    role: str | None = None
    status: str | None = None
    after: UUID | None = None  # keyset cursor: only ids after this one
    scope: Scope = EVERYTHING  # the caller's: applied by the store, in the same query


class Curricula(Protocol):
    async def get(self, version: str) -> Curriculum | None: ...
    async def versions(self) -> list[Curriculum]: ...
    def add(self, curriculum: Curriculum) -> None: ...


class Programmes(Protocol):
    async def get(self, programme_id: UUID) -> Programme | None: ...
    async def page(self, status: str | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Programme], int]: ...
    def add(self, programme: Programme, events: list[IntegrationEvent]) -> None: ...
    def save(self, programme: Programme, events: list[IntegrationEvent]) -> None: ...


class Participants(Protocol):
    async def get(self, participant_id: UUID) -> Participant | None: ...
    async def get_many(self, participant_ids: list[UUID], programme_id: UUID) -> dict[UUID, Participant]: ...
    async def page(self, where: ParticipantFilter, offset: int, limit: int) -> tuple[list[Participant], int]: ...
    async def counts(self, programme_id: UUID, scope: Scope = EVERYTHING) -> list[tuple[str, str, str, int]]: ...
    def add(self, participant: Participant, events: list[IntegrationEvent]) -> None: ...
    def save(self, participant: Participant, events: list[IntegrationEvent]) -> None: ...
    def erase(self, participant: Participant, employee_id: str, events: list[IntegrationEvent]) -> None: ...



class Identity(NamedTuple):
    participant_id: UUID
    data_key: str


class Identities(Protocol):
    """Random participant ids allocated per (programme, employee id), and e-mails claimed by one
    participant each; both compared without regard to letter case."""

    async def allocate(self, programme_id: UUID, employee_keys: list[str]) -> dict[str, Identity]: ...
    async def claim_emails(self, programme_id: UUID, claims: dict[str, UUID]) -> dict[str, UUID]: ...
    def release_email(self, programme_id: UUID, email_key: str, participant_id: UUID) -> None: ...
    def forget(self, participant_id: UUID) -> None: ...


class EnrollmentUnitOfWork(UnitOfWork):
    curricula: Curricula
    programmes: Programmes
    participants: Participants
    identities: Identities
    erasure: Erasure
    tombstones: Tombstones


UnitOfWorkFactory = Callable[[], EnrollmentUnitOfWork]
