"""What matching's use cases need from storage.

A pairing decision is committed by ONE version-checked write of the programme document, which
carries the decision's events (its outbox) and the candidate and pair documents it changes (its
journal); those documents are written right after, and re-applied from the journal by whoever
next loads the pool if the process stopped in between. So an enrollment costs a handful of writes
by `_id` (none of them a query over a whole collection), and the programme's pool stays in memory,
confirmed current by the programme document's version (`pools.py`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from matching.domain.model import Candidate, Pair, Round
from matching.domain.pool import Pool
from matching.domain.programme import Programme
from shared.contracts import IntegrationEvent
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import Erasure, Keys, Tombstones, UnitOfWork


@dataclass
class Decision:
    """What one pairing decision changes, written with the programme document."""

    candidates: list[Candidate] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    events: list[IntegrationEvent] = field(default_factory=list)


class Programmes(Protocol):
    async def get(self, programme_id: UUID) -> Programme | None: ...
    def decide(self, programme: Programme, decision: Decision) -> None:
        """Stages the programme's version-checked write with the decision (read at commit time),
        then the documents of its journal."""


class Candidates(Protocol):
    async def in_programme(self, programme_id: UUID) -> list[Candidate]: ...


class Pairs(Protocol):
    async def get(self, pair_id: UUID) -> Pair | None: ...
    async def in_programme(self, programme_id: UUID) -> list[Pair]: ...
    async def page(self, programme_id: UUID | None, status: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Pair], int]: ...


class Rounds(Protocol):
    async def get(self, round_id: UUID) -> Round | None: ...
    def add(self, round_: Round) -> None: ...
    def update(self, round_: Round) -> None: ...


class Publications(Protocol):
    def add(self, batch_id: str, programme_id: UUID, pairs: list[Pair], events: list[IntegrationEvent]) -> None:
        """Stages a batch of a round's pairs with their events (one document; replays find it)."""


class Pools(Protocol):
    copied: set[UUID]  # programmes the current decision took from this process's copy

    async def current(self, programme: Programme) -> Pool:
        """The programme's pool as stored at the programme document's version."""

    def written(self, programme_id: UUID) -> Programme | None:
        """The programme as this process last wrote it, if at hand (a decision then skips the read)."""

    def committed(self, programme: Programme) -> None: ...
    def committed_version(self, programme_id: UUID) -> int | None: ...
    def forget(self, programme_id: UUID) -> None: ...
    def settle(self) -> None: ...
    def abandon(self) -> None: ...


class MatchingUnitOfWork(UnitOfWork):
    programmes: Programmes
    candidates: Candidates
    pairs: Pairs
    rounds: Rounds
    publications: Publications
    pools: Pools
    erasure: Erasure
    tombstones: Tombstones
    keys: Keys

    async def commit(self) -> None:
        try:
            await super().commit()
        except BaseException:
            self.pools.abandon()  # pools changed in memory for writes that did not all land
            raise
        self.pools.settle()

    def decided(self) -> None:
        """The decision's programme write landed: its events are stored in the outbox and the decision
        stands (the documents it changes follow from the journal that write carries, written again by
        the next pool load if need be). The relay is woken now, and those documents are written once it
        has published them (or after a bound: shared/mongo/outbox_markers.ACK_WAIT_S says why); the
        commit wakes it again, with nothing new by then."""
        self._on_commit()

    def discard(self) -> None:
        """The use case decided nothing after all: its staged writes are dropped."""
        self._staged.clear()
        self.pools.abandon()

    async def __aexit__(self, exc_type, exc, tb) -> None:
        if exc is not None or self._staged:
            self.pools.abandon()
        await super().__aexit__(exc_type, exc, tb)


UnitOfWorkFactory = Callable[[], MatchingUnitOfWork]
