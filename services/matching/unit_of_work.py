from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from matching.domain.model import Candidate, Pair, Round
from matching.domain.programme import Programme
from shared.contracts import IntegrationEvent
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import Erasure, Keys, Tombstones, UnitOfWork


class Candidates(Protocol):
    async def get(self, participant_id: UUID) -> Candidate | None: ...
    async def in_programme(self, programme_id: UUID) -> list[Candidate]: ...
    def add(self, candidate: Candidate) -> None: ...
    def update(self, candidate: Candidate) -> None: ...


class Pairs(Protocol):
    async def get(self, pair_id: UUID) -> Pair | None: ...
    async def in_programme(self, programme_id: UUID) -> list[Pair]: ...
    async def page(self, programme_id: UUID | None, status: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Pair], int]: ...
    def add(self, pair: Pair, events: list[IntegrationEvent]) -> None: ...
    def update(self, pair: Pair, events: list[IntegrationEvent]) -> None: ...


class Programmes(Protocol):
    async def get(self, programme_id: UUID) -> Programme | None: ...
    def add(self, programme: Programme) -> None: ...
    def update(self, programme: Programme) -> None: ...


class Rounds(Protocol):
    async def get(self, round_id: UUID) -> Round | None: ...
    def add(self, round_: Round) -> None: ...
    def update(self, round_: Round) -> None: ...



class MatchingUnitOfWork(UnitOfWork):
    candidates: Candidates
    pairs: Pairs
    programmes: Programmes
    rounds: Rounds
    erasure: Erasure
    tombstones: Tombstones
    keys: Keys


UnitOfWorkFactory = Callable[[], MatchingUnitOfWork]
