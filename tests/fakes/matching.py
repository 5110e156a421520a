from uuid import UUID

from matching.domain.model import Candidate, Pair, Round
from matching.domain.programme import Programme
from matching.unit_of_work import MatchingUnitOfWork
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AlreadyExists
from shared.security.scope import EVERYTHING, Scope
from tests.fakes.memory import FakeAggregates, FakeErasure, FakeKeys, FakeTombstones


class _FakeRepository(FakeAggregates):
    key: str

    def __init__(self, uow: MatchingUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, key: UUID):
        return self.items.get(key)

    async def in_programme(self, programme_id: UUID) -> list:
        return [x for x in self.items.values() if x.programme_id == programme_id]

    def add(self, item, events: list[IntegrationEvent] = (), replay_ok: bool = False) -> None:
        async def write() -> None:
            try:
                self.insert(getattr(item, self.key), item, list(events))
            except AlreadyExists:
                if not replay_ok:
                    raise

        self.uow.stage(write)

    def update(self, item, events: list[IntegrationEvent] = ()) -> None:
        async def write() -> None:
            self.update_now(item, events)

        self.uow.stage(write)

    def update_now(self, item, events) -> None:
        FakeAggregates.update(self, getattr(item, self.key), item, list(events))


class FakeCandidates(_FakeRepository):
    key = "participant_id"


class FakePairs(_FakeRepository):
    key = "pair_id"

    def add(self, pair: Pair, events: list[IntegrationEvent] = (), replay_ok: bool = True) -> None:
        super().add(pair, events, replay_ok=True)

    async def page(self, programme_id: UUID | None, status: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Pair], int]:
        pairs = [p for p in self.items.values() if programme_id in (None, p.programme_id)
                 and status in (None, p.status) and scope.admits(p.programme_id, p.country, [p.mentor_id, p.mentee_id])]
        return pairs[offset:offset + limit], len(pairs)

    @property
    def active(self) -> list[Pair]:
        return [p for p in self.items.values() if p.active]


class FakeProgrammes(_FakeRepository):
    key = "programme_id"


class FakeRounds(_FakeRepository):
    key = "round_id"


class FakeMatchingUnitOfWork(MatchingUnitOfWork):
    """One in-memory store; `fresh()` gives another unit of work on the same data, like a new request."""

    def __init__(self) -> None:
        super().__init__()
        self.candidates = FakeCandidates(self)
        self.pairs = FakePairs(self)
        self.programmes = FakeProgrammes(self)
        self.rounds = FakeRounds(self)
        self.erasure = FakeErasure(self)
        self.tombstones = FakeTombstones(self)
        self.keys = FakeKeys(self)

    def events(self) -> list[IntegrationEvent]:
        return self.pairs.events

    def programme(self, programme_id: UUID) -> Programme | None:
        return self.programmes.items.get(programme_id)

    def candidate(self, participant_id: UUID) -> Candidate | None:
        return self.candidates.items.get(participant_id)

    def round(self, round_id: UUID) -> Round | None:
        return self.rounds.items.get(round_id)
