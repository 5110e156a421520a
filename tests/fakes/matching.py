"""Matching's unit of work over dicts, with the same rules as the Mongo one: one version-checked
programme write per decision carrying its events and documents, pools cached per programme."""

import copy
from uuid import UUID

from matching.domain.model import Candidate, Pair, Round
from matching.domain.pool import Pool
from matching.domain.programme import Programme
from matching.pools import CachedPools, PoolCache
from matching.unit_of_work import Decision, MatchingUnitOfWork
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AlreadyExists, ConcurrentUpdate
from shared.security.scope import EVERYTHING, Scope
from tests.fakes.memory import FakeErasure, FakeKeys, FakeTombstones


class _Items:
    def __init__(self) -> None:
        self.items: dict[UUID, object] = {}

    async def get(self, key: UUID):
        return copy.deepcopy(self.items.get(key))

    async def in_programme(self, programme_id: UUID) -> list:
        return [copy.deepcopy(x) for x in self.items.values() if x.programme_id == programme_id]


class FakeCandidates(_Items):
    pass


class FakePairs(_Items):
    async def page(self, programme_id: UUID | None, status: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Pair], int]:
        pairs = [p for p in self.items.values() if programme_id in (None, p.programme_id)
                 and status in (None, p.status) and scope.admits(p.programme_id, p.country, [p.mentor_id, p.mentee_id])]
        return pairs[offset:offset + limit], len(pairs)

    @property
    def active(self) -> list[Pair]:
        return [p for p in self.items.values() if p.active]


class FakeProgrammes(_Items):
    def __init__(self, uow: "FakeMatchingUnitOfWork") -> None:
        super().__init__()
        self.uow = uow

    def decide(self, programme: Programme, decision: Decision) -> None:
        async def write() -> None:
            stored = self.items.get(programme.programme_id)
            if (stored.version if stored else 0) != programme.version:
                raise ConcurrentUpdate(str(programme.programme_id))
            programme.version += 1
            self.items[programme.programme_id] = copy.deepcopy(programme)
            self.uow.published += decision.events
            for item in (*decision.candidates, *decision.pairs):
                item.version += 1
            self.uow.candidates.items.update({c.participant_id: copy.deepcopy(c) for c in decision.candidates})
            self.uow.pairs.items.update({p.pair_id: copy.deepcopy(p) for p in decision.pairs})
            self.uow.pools.committed(programme)

        self.uow.stage(write)


class FakeRounds(_Items):
    def __init__(self, uow: "FakeMatchingUnitOfWork") -> None:
        super().__init__()
        self.uow = uow

    def add(self, round_: Round) -> None:
        async def write() -> None:
            if round_.round_id in self.items:
                raise AlreadyExists(round_.round_id)
            round_.version = 1
            self.items[round_.round_id] = copy.deepcopy(round_)

        self.uow.stage(write)

    def update(self, round_: Round) -> None:
        async def write() -> None:
            if self.items[round_.round_id].version != round_.version:
                raise ConcurrentUpdate(str(round_.round_id))
            round_.version += 1
            self.items[round_.round_id] = copy.deepcopy(round_)

        self.uow.stage(write)


class FakePublications:
    def __init__(self, uow: "FakeMatchingUnitOfWork") -> None:
        self.uow, self.batches = uow, set()

    def add(self, batch_id: str, programme_id: UUID, pairs: list[Pair], events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            if batch_id not in self.batches:
                self.batches.add(batch_id)
                self.uow.published += events
            for pair in pairs:
                pair.version = 1
                self.uow.pairs.items.setdefault(pair.pair_id, copy.deepcopy(pair))

        self.uow.stage(write)


class FakeMatchingUnitOfWork(MatchingUnitOfWork):
    """One in-memory store, reused by every call of a test (like successive requests)."""

    def __init__(self) -> None:
        super().__init__()
        self.published: list[IntegrationEvent] = []
        self.cache = PoolCache()
        self.candidates = FakeCandidates()
        self.pairs = FakePairs()
        self.programmes = FakeProgrammes(self)
        self.rounds = FakeRounds(self)
        self.publications = FakePublications(self)
        self.pools = CachedPools(self.cache, self._load)
        self.erasure = FakeErasure(self)
        self.tombstones = FakeTombstones(self)
        self.keys = FakeKeys(self)

    async def _load(self, programme: Programme) -> Pool:
        return Pool(programme, await self.candidates.in_programme(programme.programme_id),
                    await self.pairs.in_programme(programme.programme_id))

    def events(self) -> list[IntegrationEvent]:
        return self.published

    def programme(self, programme_id: UUID) -> Programme | None:
        return self.programmes.items.get(programme_id)

    def candidate(self, participant_id: UUID) -> Candidate | None:
        return self.candidates.items.get(participant_id)

    def round(self, round_id: UUID) -> Round | None:
        return self.rounds.items.get(round_id)
