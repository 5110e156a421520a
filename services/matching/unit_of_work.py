from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from matching.domain.model import Candidate, Pair
from shared.contracts import IntegrationEvent
from shared.unit_of_work import UnitOfWork


class Candidates(Protocol):
    async def get(self, participant_id: UUID) -> Candidate | None: ...
    async def free_in_programme(self, programme_id: UUID) -> list[Candidate]: ...
    def add(self, candidate: Candidate) -> None: ...
    def assign(self, candidate: Candidate, pair_id: UUID) -> None: ...


class Pairs(Protocol):
    async def get(self, pair_id: UUID) -> Pair | None: ...
    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[Pair], int]: ...
    def add(self, pair: Pair, events: list[IntegrationEvent]) -> None: ...


class MatchingUnitOfWork(UnitOfWork):
    candidates: Candidates
    pairs: Pairs


UnitOfWorkFactory = Callable[[], MatchingUnitOfWork]
