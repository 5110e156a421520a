from uuid import UUID

from matching.domain.model import Candidate, Pair
from matching.unit_of_work import MatchingUnitOfWork
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AlreadyExists
from tests.fakes.memory import FakeAggregates


class FakeCandidates(FakeAggregates):
    def __init__(self, uow: MatchingUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, participant_id: UUID) -> Candidate | None:
        return self.items.get(participant_id)

    async def free_in_programme(self, programme_id: UUID) -> list[Candidate]:
        return [c for c in self.items.values() if c.programme_id == programme_id and c.is_free]

    def add(self, candidate: Candidate) -> None:
        async def write() -> None:
            self.insert(candidate.participant_id, candidate, [])

        self.uow.stage(write)

    def assign(self, candidate: Candidate, pair_id: UUID) -> None:
        async def write() -> None:
            candidate.pair_id = pair_id
            self.update(candidate.participant_id, candidate, [])

        self.uow.stage(write)


class FakePairs(FakeAggregates):
    def __init__(self, uow: MatchingUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, pair_id: UUID) -> Pair | None:
        return self.items.get(pair_id)

    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[Pair], int]:
        pairs = [p for p in self.items.values() if programme_id in (None, p.programme_id)]
        return pairs[offset:offset + limit], len(pairs)

    def add(self, pair: Pair, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            try:
                self.insert(pair.pair_id, pair, events)
            except AlreadyExists:
                pass

        self.uow.stage(write)


class FakeMatchingUnitOfWork(MatchingUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.candidates = FakeCandidates(self)
        self.pairs = FakePairs(self)
