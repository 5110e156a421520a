"""Scheduling's inbound events: one subscriber per consumed topic."""

from faststream.kafka import KafkaRouter

from scheduling import handlers
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.commands import EndParticipation, PlanPair, RegisterProgramme
from scheduling.domain.model import Member, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.unit_of_work import UnitOfWorkFactory
from shared.contracts import (
    PairCreated,
    PairDissolved,
    PairMember,
    ParticipantErased,
    ParticipantWithdrawn,
    ProgrammeLaunched,
    ProgrammeUpdated,
)
from shared.messaging.consumer import EventConsumer


def build_kafka_router(consumer: EventConsumer, uow_factory: UnitOfWorkFactory) -> KafkaRouter:
    router = KafkaRouter()

    @consumer.subscriber(router, ProgrammeLaunched)
    async def on_programme_launched(event: ProgrammeLaunched) -> None:
        """Keeps the programme's session plan; plans pairs that arrived before it."""
        await _register(event)

    @consumer.subscriber(router, ProgrammeUpdated)
    async def on_programme_updated(event: ProgrammeUpdated) -> None:
        """The changed plan applies to pairs planned from now on; planned series are not moved."""
        await _register(event)

    async def _register(event: ProgrammeLaunched) -> None:
        plan = SessionPlan(event.sessions_per_pair, event.session_minutes, event.cadence_days, event.format,
                           event.mentor_capacity, event.curriculum_version)
        async with uow_factory() as uow:
            await handlers.register_programme(RegisterProgramme(event.programme_id, plan, **event.caused()), uow)

    @consumer.subscriber(router, PairCreated)
    async def on_pair_created(event: PairCreated) -> None:
        """Plans the pair's series of sessions."""
        pair = PairSchedule(
            pair_id=event.pair_id,
            programme_id=event.programme_id,
            country=event.country,
            mentor=_member(event.mentor),
            mentee=_member(event.mentee),
            # From the event, not the clock, so a replay plans exactly the same series.
            not_before=event.occurred_at,
        )
        async with uow_factory() as uow:
            await handlers.plan_pair(PlanPair(pair, **event.caused()), uow)

    @consumer.subscriber(router, ParticipantWithdrawn)
    async def on_participant_withdrawn(event: ParticipantWithdrawn) -> None:
        """Cancels the future sessions of every pair of the participant in that programme."""
        cmd = EndParticipation(event.participant_id, None, event.programme_id, "participant_withdrew",
                               event.occurred_at, **event.caused())
        async with uow_factory() as uow:
            await handlers.end_participation(cmd, uow)

    @consumer.subscriber(router, ParticipantErased)
    async def on_participant_erased(event: ParticipantErased) -> None:
        """Right to be forgotten: a tombstone first (a late PairCreated plans nothing), then cancels the
        person's future sessions, then replaces their ids here with random ones."""
        cmd = EndParticipation(event.participant_id, None, event.programme_id, "participant_withdrew",
                               event.occurred_at, **event.caused())
        async with uow_factory() as uow:
            await handlers.record_erasure(event.participant_id, uow)
        async with uow_factory() as uow:
            await handlers.end_participation(cmd, uow)
        async with uow_factory() as uow:
            await handlers.erase_participant(event.participant_id, uow)

    @consumer.subscriber(router, PairDissolved)
    async def on_pair_dissolved(event: PairDissolved) -> None:
        """Cancels the pair's future sessions."""
        cmd = EndParticipation(None, event.pair_id, event.programme_id, "pair_dissolved", event.occurred_at,
                               **event.caused())
        async with uow_factory() as uow:
            await handlers.end_participation(cmd, uow)

    return router


def _member(m: PairMember) -> Member:
    slots = tuple(Slot(s.weekday, s.start, s.end) for s in m.availability)
    return Member(m.participant_id, m.country, WeeklyAvailability(m.time_zone, slots))
