from collections import Counter
from uuid import UUID, uuid4

from enrollment.domain.curriculum import DEFAULT_CURRICULUM, Curriculum
from enrollment.domain.model import Participant, Programme
from enrollment.unit_of_work import EnrollmentUnitOfWork, Identity, ParticipantFilter
from shared.contracts import IntegrationEvent
from shared.crypto.sealing import new_data_key
from shared.security.scope import EVERYTHING, Scope
from tests.fakes.memory import FakeAggregates, FakeErasure, FakeTombstones


class FakeCurricula:
    def __init__(self, uow: EnrollmentUnitOfWork) -> None:
        self.uow = uow
        self.items: dict[str, Curriculum] = {DEFAULT_CURRICULUM.version: DEFAULT_CURRICULUM}

    async def get(self, version: str) -> Curriculum | None:
        return self.items.get(version)

    async def versions(self) -> list[Curriculum]:
        return [self.items[v] for v in sorted(self.items)]

    def add(self, curriculum: Curriculum) -> None:
        async def write() -> None:
            self.items[curriculum.version] = curriculum

        self.uow.stage(write)


class FakeProgrammes(FakeAggregates):
    def __init__(self, uow: EnrollmentUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, programme_id: UUID) -> Programme | None:
        return self.items.get(programme_id)

    async def page(self, status: str | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Programme], int]:
        found = sorted((p for p in self.items.values() if status in (None, p.status)
                        and scope.sees_programme(p.programme_id, p.countries)), key=lambda p: p.code)
        return found[offset:offset + limit], len(found)

    def add(self, programme: Programme, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.insert(programme.programme_id, programme, events)

        self.uow.stage(write)

    def save(self, programme: Programme, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.update(programme.programme_id, programme, events)

        self.uow.stage(write)


class FakeParticipants(FakeAggregates):
    def __init__(self, uow: EnrollmentUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, participant_id: UUID) -> Participant | None:
        return self.items.get(participant_id)

    async def get_many(self, participant_ids: list[UUID], programme_id: UUID) -> dict[UUID, Participant]:
        return {i: self.items[i] for i in participant_ids if i in self.items}

    async def page(self, where: ParticipantFilter, offset: int, limit: int) -> tuple[list[Participant], int]:
        found = sorted((p for p in self.items.values() if p.programme_id == where.programme_id
                        and where.country in (None, p.country) and where.role in (None, p.role)
                        and where.status in (None, p.status)
                        and where.scope.admits(p.programme_id, p.country, [p.participant_id])),
                       key=lambda p: str(p.participant_id))
        after = [p for p in found if where.after is None or str(p.participant_id) > str(where.after)]
        return after[offset:offset + limit], len(found)

    async def counts(self, programme_id: UUID, scope: Scope = EVERYTHING) -> list[tuple[str, str, str, int]]:
        counter = Counter((p.role, p.country, p.status) for p in self.items.values() if p.programme_id == programme_id
                          and scope.admits(p.programme_id, p.country, [p.participant_id]))
        return sorted((r, c, s, n) for (r, c, s), n in counter.items())

    def add(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.insert(participant.participant_id, participant, events)

        self.uow.stage(write)

    def save(self, participant: Participant, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.update(participant.participant_id, participant, events)

        self.uow.stage(write)

    def erase(self, participant: Participant, employee_id: str, events: list[IntegrationEvent]) -> None:
        self.save(participant, events)


class FakeEnrollmentUnitOfWork(EnrollmentUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.curricula = FakeCurricula(self)
        self.programmes = FakeProgrammes(self)
        self.participants = FakeParticipants(self)
        self.identities = FakeIdentities(self)
        self.erasure = FakeErasure(self)
        self.tombstones = FakeTombstones(self)

    @property
    def events(self) -> list[IntegrationEvent]:
        return self.programmes.events + self.participants.events


class FakeIdentities:
    def __init__(self, uow: EnrollmentUnitOfWork) -> None:
        self.uow = uow
        self.held: dict[tuple[UUID, str, str], UUID] = {}
        self.keys: dict[UUID, str] = {}

    async def allocate(self, programme_id: UUID, employee_keys: list[str]) -> dict[str, Identity]:
        held = {k: self.held.setdefault((programme_id, "employee", k), uuid4()) for k in employee_keys}
        return {k: Identity(p, self.keys.setdefault(p, new_data_key())) for k, p in held.items()}

    async def claim_emails(self, programme_id: UUID, claims: dict[str, UUID]) -> dict[str, UUID]:
        return {k: self.held.setdefault((programme_id, "email", k), p) for k, p in claims.items()}

    def release_email(self, programme_id: UUID, email_key: str, participant_id: UUID) -> None:
        async def write() -> None:
            if self.held.get((programme_id, "email", email_key)) == participant_id:
                del self.held[(programme_id, "email", email_key)]

        self.uow.stage(write)

    def forget(self, participant_id: UUID) -> None:
        async def write() -> None:
            for key in [k for k, p in self.held.items() if p == participant_id]:
                del self.held[key]

        self.uow.stage(write)
