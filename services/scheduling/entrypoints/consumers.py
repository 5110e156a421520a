"""Scheduling's inbound events: one use case per consumed topic, all on the service's one consumer."""

from faststream.kafka import KafkaRouter

from scheduling import handlers
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.commands import EndParticipation, PlanPair, RegisterProgramme, UpdateMember
from scheduling.domain.model import Member, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.unit_of_work import SchedulingUnitOfWork, UnitOfWorkFactory
from shared.concurrently import all_settled
from shared.contracts import (
    MemberProfile,
    PairCreated,
    PairDissolved,
    PairMember,
    ParticipantErased,
    ParticipantProfile,
    ParticipantUpdated,
    ParticipantWithdrawn,
    ProgrammeLaunched,
    ProgrammeUpdated,
)
from shared.crypto.delivery import subscribe_to_keys
from shared.crypto.keyring import opened
from shared.messaging.consumer import EventConsumer


def build_kafka_router(consumer: EventConsumer, uow_factory: UnitOfWorkFactory) -> KafkaRouter:
    subscribe_to_keys(consumer, uow_factory)

    @consumer.handles(ProgrammeLaunched)
    async def on_programme_launched(event: ProgrammeLaunched) -> None:
        """Keeps the programme's session plan; plans pairs that arrived before it."""
        await _register(event)

    @consumer.handles(ProgrammeUpdated)
    async def on_programme_updated(event: ProgrammeUpdated) -> None:
        """The changed plan applies to pairs planned from now on; planned series are not moved."""
        await _register(event)

    async def _register(event: ProgrammeLaunched) -> None:
        cal = event.calendar
        plan = SessionPlan(event.sessions_per_pair, event.session_minutes, event.cadence_days, event.format,
                           event.mentor_capacity, event.curriculum_version, event.starts_on, event.ends_on,
                           cal.grid_minutes, tuple(sorted(set(cal.weekend_days))), cal.holidays,
                           event.planning_deadline_days)
        async with uow_factory() as uow:
            await handlers.register_programme(RegisterProgramme(event.programme_id, plan, **event.caused()), uow)

    @consumer.handles(PairCreated)
    async def on_pair_created(event: PairCreated) -> None:
        """Plans the pair's series of sessions."""
        async with uow_factory() as uow:
            await handlers.plan_pair(await _plan_pair(uow, event), uow)

    @consumer.handles_together(PairCreated)
    async def on_pairs_created(events: list[PairCreated]) -> None:
        """Consecutive PairCreated in a polled batch: planned in one unit of work, in their order."""
        async with uow_factory() as uow:
            await handlers.plan_pairs(await all_settled(_plan_pair(uow, e) for e in events), uow)

    @consumer.handles(ParticipantWithdrawn)
    async def on_participant_withdrawn(event: ParticipantWithdrawn) -> None:
        """Cancels the future sessions of every pair of the participant in that programme."""
        cmd = EndParticipation(event.participant_id, None, event.programme_id, "participant_withdrew",
                               event.occurred_at, **event.caused())
        async with uow_factory() as uow:
            await handlers.end_participation(cmd, uow)

    @consumer.handles(ParticipantErased)
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
            await handlers.erase_participant(event.participant_id, event.event_id, uow)

    @consumer.handles(ParticipantUpdated)
    async def on_participant_updated(event: ParticipantUpdated) -> None:
        """Keeps the member's data in their open pairs; plans their sessions ahead again when their
        zone, country, region or availability changed."""
        async with uow_factory() as uow:
            p = await opened(uow.keys, event.participant_id, event.profile, ParticipantProfile)
            member = Member(event.participant_id, p.country, WeeklyAvailability(
                p.time_zone, tuple(Slot(s.weekday, s.start, s.end) for s in p.availability)), p.region)
            cmd = UpdateMember(member, event.programme_id, event.occurred_at, **event.caused())
            await handlers.update_member(cmd, uow)

    @consumer.handles(PairDissolved)
    async def on_pair_dissolved(event: PairDissolved) -> None:
        """Cancels the pair's future sessions."""
        cmd = EndParticipation(None, event.pair_id, event.programme_id, "pair_dissolved", event.occurred_at,
                               **event.caused())
        async with uow_factory() as uow:
            await handlers.end_participation(cmd, uow)

    return consumer.router()


async def _plan_pair(uow: SchedulingUnitOfWork, event: PairCreated) -> PlanPair:
    mentor, mentee = await all_settled([_member(uow, event.mentor), _member(uow, event.mentee)])
    # not_before from the event, not the clock, so a replay plans exactly the same series.
    pair = PairSchedule(pair_id=event.pair_id, programme_id=event.programme_id, country=event.country,
                        mentor=mentor, mentee=mentee, not_before=event.occurred_at)
    return PlanPair(pair, **event.caused())


async def _member(uow: SchedulingUnitOfWork, m: PairMember) -> Member:
    profile = await opened(uow.keys, m.participant_id, m.profile, MemberProfile)
    slots = tuple(Slot(s.weekday, s.start, s.end) for s in profile.availability)
    return Member(m.participant_id, profile.country, WeeklyAvailability(profile.time_zone, slots), profile.region)
