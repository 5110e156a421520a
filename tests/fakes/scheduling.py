from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from scheduling.domain.cafe import Cafe
from scheduling.domain.model import ACTIVE_PAIR, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import ParticipantCalendar
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AlreadyExists, ConcurrentUpdate
from shared.security.scope import EVERYTHING, Scope
from tests.fakes.memory import FakeAggregates, FakeErasure, FakeKeys, FakeTombstones


class FakePlans:
    def __init__(self, uow: SchedulingUnitOfWork) -> None:
        self.uow = uow
        self.items: dict[UUID, SessionPlan] = {}

    async def get(self, programme_id: UUID) -> SessionPlan | None:
        return self.items.get(programme_id)

    def put(self, programme_id: UUID, plan: SessionPlan) -> None:
        async def write() -> None:
            self.items[programme_id] = plan

        self.uow.stage(write)


class FakePairSchedules(FakeAggregates):
    def __init__(self, uow: SchedulingUnitOfWork) -> None:
        super().__init__()
        self.uow = uow
        self.writes_together = 0  # add_all calls: runs of new pairs written as one

    async def get(self, pair_id: UUID) -> PairSchedule | None:
        return self.items.get(pair_id)

    async def with_session(self, session_id: UUID) -> PairSchedule | None:
        return next((p for p in self.items.values() if any(s.session_id == session_id for s in p.sessions)), None)

    async def awaiting_programme(self, programme_id: UUID) -> list[PairSchedule]:
        return [p for p in self.items.values() if p.programme_id == programme_id and p.status == "awaiting_programme"]

    async def of_participant(self, participant_id: UUID, programme_id: UUID | None) -> list[PairSchedule]:
        return [p for p in self.items.values() if participant_id in {m.participant_id for m in p.members}
                and programme_id in (None, p.programme_id)]

    def active(self) -> list[PairSchedule]:
        return sorted((p for p in self.items.values() if p.status in ACTIVE_PAIR), key=lambda p: str(p.pair_id))

    async def active_batches(self, size: int) -> AsyncIterator[list[PairSchedule]]:
        active = self.active()
        for start in range(0, len(active), size):
            yield active[start:start + size]

    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[PairSchedule], int]:
        pairs = [p for p in self.items.values() if programme_id in (None, p.programme_id) and scope.admits(
            p.programme_id, p.country, [m.participant_id for m in p.members])]
        return pairs[offset:offset + limit], len(pairs)

    async def matching(self, programme_id: UUID | None, country: str | None,
                       scope: Scope = EVERYTHING) -> list[PairSchedule]:
        return [p for p in self.items.values() if programme_id in (None, p.programme_id)
                and country in (None, p.country)
                and scope.admits(p.programme_id, p.country, [m.participant_id for m in p.members])]

    def add(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            try:
                self.insert(pair.pair_id, pair, events)
            except AlreadyExists:
                pass

        self.uow.stage(write)

    def add_all(self, planned: list[tuple[PairSchedule, list[IntegrationEvent]]]) -> None:
        self.writes_together += 1
        for pair, events in planned:
            self.add(pair, events)

    def save(self, pair: PairSchedule, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.update(pair.pair_id, pair, events)

        self.uow.stage(write)


class FakeCalendars:
    """Keeps copies, so a stale calendar loses the version check as it would in Mongo."""

    def __init__(self, uow: SchedulingUnitOfWork) -> None:
        self.uow = uow
        self.items: dict[UUID, ParticipantCalendar] = {}
        self.met: set[UUID] = set()  # as the process remembers them; clear() is a restart
        self.reads: list[UUID] = []  # whose calendar was read, in order

    async def get(self, participant_id: UUID) -> ParticipantCalendar:
        self.reads.append(participant_id)
        stored = self.items.get(participant_id)
        if stored is None:
            return ParticipantCalendar(participant_id)
        self.met.add(participant_id)
        return ParticipantCalendar(participant_id, list(stored.bookings), stored.version)

    async def presumed(self, participant_id: UUID) -> ParticipantCalendar:
        return await self.get(participant_id) if participant_id in self.met else ParticipantCalendar(participant_id)

    def save(self, calendar: ParticipantCalendar) -> None:
        async def write() -> None:
            stored = self.items.get(calendar.participant_id)
            self.met.add(calendar.participant_id)  # written, or found there: the retry reads it
            if (stored.version if stored else 0) != calendar.version:
                raise ConcurrentUpdate(calendar.participant_id)
            calendar.version += 1
            self.items[calendar.participant_id] = ParticipantCalendar(
                calendar.participant_id, list(calendar.bookings), calendar.version)

        self.uow.stage(write)

    def save_all(self, calendars: list[ParticipantCalendar]) -> None:
        for calendar in calendars:
            self.save(calendar)


class FakeCafes(FakeAggregates):
    def __init__(self, uow: SchedulingUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, cafe_id: UUID) -> Cafe | None:
        stored = self.items.get(cafe_id)
        return replace(stored, attendees=list(stored.attendees)) if stored else None

    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Cafe], int]:
        cafes = sorted((c for c in self.items.values() if programme_id in (None, c.programme_id)
                        and scope.covers_programme(c.programme_id)),
                       key=lambda c: c.starts_at)
        return cafes[offset:offset + limit], len(cafes)

    def add(self, cafe: Cafe, events: list[IntegrationEvent]) -> None:
        self.uow.stage(lambda: _now(self.insert, cafe.cafe_id, cafe, events))

    def save(self, cafe: Cafe, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            if self.items[cafe.cafe_id].version != cafe.version:
                raise ConcurrentUpdate(cafe.cafe_id)
            self.items[cafe.cafe_id] = replace(cafe, version=cafe.version + 1, attendees=list(cafe.attendees))
            cafe.version += 1
            self.events += events

        self.uow.stage(write)


async def _now(fn, *args) -> None:
    fn(*args)


class FakeAgenda:
    """Every active pair is due at every tick: the handler's checks decide (the real agenda's filing
    is tested against the real store)."""

    def __init__(self, uow: "FakeSchedulingUnitOfWork") -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int) -> list[tuple[UUID, str]]:
        return [(p.pair_id, "") for p in self.uow.pairs.active()][:limit]

    async def file(self, pair: PairSchedule, now: datetime | None = None) -> None:
        pass

    async def file_many(self, pairs: list[PairSchedule], now: datetime | None = None) -> None:
        pass

    async def done_many(self, handled: list[tuple[UUID, str]]) -> None:
        pass

    async def seeded(self) -> bool:
        return True

    async def mark_seeded(self) -> None:
        pass


class FakeSchedulingUnitOfWork(SchedulingUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.plans = FakePlans(self)
        self.pairs = FakePairSchedules(self)
        self.agenda = FakeAgenda(self)
        self.calendars = FakeCalendars(self)
        self.cafes = FakeCafes(self)
        self.erasure = FakeErasure(self)
        self.tombstones = FakeTombstones(self)
        self.keys = FakeKeys(self)
