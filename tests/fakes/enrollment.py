from uuid import UUID

from enrollment.domain.model import Participant, Programme
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.contracts import IntegrationEvent
from tests.fakes.memory import FakeAggregates


class FakeProgrammes(FakeAggregates):
    def __init__(self, uow: "FakeEnrollmentUnitOfWork") -> None:
        super().__init__()
        self.uow = uow

    async def get(self, programme_id: UUID) -> Programme | None:
        return self.items.get(programme_id)

    def add(self, programme: Programme, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.insert(programme.programme_id, programme, events)

        self.uow.stage(write)


class FakeParticipants(FakeAggregates):
    def __init__(self, uow: "FakeEnrollmentUnitOfWork") -> None:
        super().__init__()
        self.uow = uow

    async def get(self, participant_id: UUID) -> Participant | None:
        return self.items.get(participant_id)

    async def page(self, programme_id: UUID, offset: int, limit: int) -> tuple[list[Participant], int]:
        matching = sorted((p for p in self.items.values() if p.programme_id == programme_id),
                          key=lambda p: str(p.participant_id))
        return matching[offset:offset + limit], len(matching)

    def add(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.insert(participant.participant_id, participant, events)

        self.uow.stage(write)

    def save(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.update(participant.participant_id, participant, events)

        self.uow.stage(write)


class FakeEnrollmentUnitOfWork(EnrollmentUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.programmes = FakeProgrammes(self)
        self.participants = FakeParticipants(self)

    @property
    def events(self) -> list[IntegrationEvent]:
        return self.programmes.events + self.participants.events

