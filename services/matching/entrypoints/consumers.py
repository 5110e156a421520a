"""Matching's inbound events: one use case per consumed topic, all on the service's one consumer."""

from itertools import groupby

from faststream.kafka import KafkaRouter

from matching import handlers
from matching.domain.commands import (
    AddCandidate,
    AddCandidates,
    EraseParticipant,
    PreviewRound,
    RecordProgramme,
    Withdraw,
)
from matching.domain.model import Candidate, Skill, Slot
from matching.domain.programme import Policy
from matching.entrypoints.revision_consumers import build_revision_subscribers
from matching.unit_of_work import MatchingUnitOfWork, UnitOfWorkFactory
from shared.availability import programme_calendar
from shared.concurrently import all_settled
from shared.contracts import (
    ParticipantEnrolled,
    ParticipantErased,
    ParticipantProfile,
    ParticipantWithdrawn,
    ProgrammeLaunched,
    ProgrammeUpdated,
)
from shared.crypto.delivery import subscribe_to_keys
from shared.crypto.keyring import opened
from shared.messaging.consumer import EventConsumer


def build_kafka_router(consumer: EventConsumer, uow_factory: UnitOfWorkFactory) -> KafkaRouter:
    @consumer.handles(ProgrammeLaunched)
    async def on_programme_launched(event: ProgrammeLaunched) -> None:
        """Keeps the programme's matching policy and mentor capacity."""
        await _record(event)

    @consumer.handles(ProgrammeUpdated)
    async def on_programme_updated(event: ProgrammeUpdated) -> None:
        """A changed policy applies from now on; when enrollment closes, a round is previewed for the
        programme manager to publish (everyone still free, optimally assigned)."""
        await _record(event)
        if event.status == "closed" and "status" in event.changed:
            async with uow_factory() as uow:
                await handlers.preview_round(PreviewRound(event.programme_id), uow)

    async def _record(event: ProgrammeLaunched) -> None:
        p, cal = event.matching_policy, event.calendar
        calendar = programme_calendar(event.occurred_at.date(), event.sessions_per_pair, event.session_minutes,
                                      event.cadence_days, event.starts_on, event.ends_on, cal.grid_minutes,
                                      tuple(cal.weekend_days), cal.holidays)
        policy = Policy(mentor_capacity=event.mentor_capacity, same_country_only=p.same_country_only,
                        exclude_reporting_line=p.exclude_reporting_line,
                        exclude_same_department=p.exclude_same_department,
                        min_overlap_minutes=max(p.min_overlap_minutes, event.session_minutes),
                        weights=dict(p.weights), reference_date=event.occurred_at.date(), calendar=calendar)
        async with uow_factory() as uow:
            await handlers.record_programme(RecordProgramme(event.programme_id, policy), uow)

    subscribe_to_keys(consumer, uow_factory)

    @consumer.handles(ParticipantEnrolled)
    async def on_participant_enrolled(event: ParticipantEnrolled) -> None:
        """Adds the participant to the programme's pool and, in continuous mode, pairs them."""
        async with uow_factory() as uow:
            candidate, erased = await opened_and_checked(event, uow)
            await handlers.add_candidate(AddCandidate(candidate, **event.caused(), erased=erased), uow)

    @consumer.handles_together(ParticipantEnrolled)
    async def on_participants_enrolled(events: list[ParticipantEnrolled]) -> None:
        """Consecutive enrollments of one programme in a polled batch: one pairing decision."""
        for programme_id, group in groupby(events, key=lambda e: e.programme_id):
            group = list(group)
            async with uow_factory() as uow:
                read = await all_settled(opened_and_checked(e, uow) for e in group)
                commands = [AddCandidate(c, **e.caused(), erased=erased)
                            for (c, erased), e in zip(read, group, strict=True)]
                await handlers.add_candidates(AddCandidates(programme_id, commands), uow)

    @consumer.handles(ParticipantWithdrawn)
    async def on_participant_withdrawn(event: ParticipantWithdrawn) -> None:
        """Dissolves the participant's pairs (PairDissolved) and re-pairs the partners left behind."""
        async with uow_factory() as uow:
            await handlers.withdraw(Withdraw(event.participant_id, event.programme_id, **event.caused()), uow)

    @consumer.handles(ParticipantErased)
    async def on_participant_erased(event: ParticipantErased) -> None:
        """Right to be forgotten: a tombstone first (whatever arrives later is ignored), then withdraws the
        person (their pairs dissolved), then replaces their ids here with random ones."""
        async with uow_factory() as uow:
            await handlers.record_erasure(event.participant_id, uow)
        async with uow_factory() as uow:
            await handlers.withdraw(Withdraw(event.participant_id, event.programme_id, **event.caused()), uow)
        async with uow_factory() as uow:
            await handlers.erase_participant(EraseParticipant(event.participant_id, event.programme_id, event.event_id),
                                             uow)

    build_revision_subscribers(consumer, uow_factory, candidate_of)
    return consumer.router()


async def opened_and_checked(event: ParticipantEnrolled, uow: MatchingUnitOfWork) -> tuple[Candidate, bool]:
    """The candidate, and whether the person's erasure tombstone is there: both reads at once, so an
    arrival pays one round trip for them, not two in a row (the use case takes the tombstone's answer)."""
    candidate, erased = await all_settled((candidate_of(event, uow), uow.tombstones.erased(event.participant_id)))
    return candidate, erased


async def candidate_of(event: ParticipantEnrolled, uow: MatchingUnitOfWork) -> Candidate:
    """The candidate the sealed profile describes (put back until the person's key arrives, dropped
    once it is destroyed: shared/crypto/keyring.py)."""
    p = await opened(uow.keys, event.participant_id, event.profile, ParticipantProfile)
    return Candidate(
        participant_id=event.participant_id, programme_id=event.programme_id, role=p.role,
        country=p.country, languages=p.languages, time_zone=p.time_zone, seniority_level=p.seniority_level,
        availability=[Slot(s.weekday, s.start, s.end) for s in p.availability],
        department=p.department, manager_id=p.manager_participant_id,
        skills=[Skill(s.topic, s.proficiency, s.wish) for s in p.skills], must_match=p.must_match, region=p.region,
    )
