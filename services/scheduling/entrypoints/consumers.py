"""Scheduling's inbound events: one subscriber per consumed topic."""

from faststream.kafka import KafkaRouter

from scheduling import handlers
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.commands import PlanPair, RegisterProgramme
from scheduling.domain.model import Member, PairSchedule, SessionPlan
from scheduling.unit_of_work import UnitOfWorkFactory
from shared.contracts import PairCreated, PairMember, ProgrammeLaunched
from shared.messaging.consumer import EventConsumer


def build_kafka_router(consumer: EventConsumer, uow_factory: UnitOfWorkFactory) -> KafkaRouter:
    router = KafkaRouter()

    @consumer.subscriber(router, ProgrammeLaunched)
    async def on_programme_launched(event: ProgrammeLaunched) -> None:
        """Keeps the programme's session plan; plans pairs that arrived before it."""
        plan = SessionPlan(event.sessions_per_pair, event.session_minutes, event.cadence_days)
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

    return router


def _member(m: PairMember) -> Member:
    slots = tuple(Slot(s.weekday, s.start, s.end) for s in m.availability)
    return Member(m.participant_id, m.country, WeeklyAvailability(m.time_zone, slots))
