"""Use cases: load, ask the domain, stage state + events, commit."""

from dataclasses import replace

from enrollment.domain.commands import EnrollParticipant, LaunchProgramme, WithdrawParticipant
from enrollment.domain.errors import Conflict, NotFound
from enrollment.domain.model import Participant, Programme, check_participant
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.contracts import (
    MatchingPolicy,
    ParticipantEnrolled,
    ParticipantWithdrawn,
    ProgrammeLaunched,
    TopicSkill,
    WeeklySlot,
)
from shared.mongo.aggregates import AlreadyExists


async def launch_programme(cmd: LaunchProgramme, uow: EnrollmentUnitOfWork) -> tuple[Programme, bool]:
    programme = Programme(
        programme_id=Programme.id_for(cmd.code),
        code=cmd.code,
        name=cmd.name,
        countries=cmd.countries,
        languages=cmd.languages,
        sessions_per_pair=cmd.sessions_per_pair,
        session_minutes=cmd.session_minutes,
        cadence_days=cmd.cadence_days,
        format=cmd.format,
        mentor_capacity=cmd.mentor_capacity,
        matching_policy=cmd.matching_policy,
        time_zones=dict(cmd.time_zones or {}),
    )
    programme.check()
    existing = await uow.programmes.get(programme.programme_id)
    if existing is not None:
        if replace(existing, version=0) != programme:
            raise Conflict("code", f"programme {cmd.code!r} already exists with different settings")
        return existing, False
    uow.programmes.add(
        programme,
        [
            ProgrammeLaunched(
                programme_id=programme.programme_id,
                name=programme.name,
                countries=programme.countries,
                languages=programme.languages,
                sessions_per_pair=programme.sessions_per_pair,
                session_minutes=programme.session_minutes,
                cadence_days=programme.cadence_days,
                format=programme.format,
                mentor_capacity=programme.mentor_capacity,
                matching_policy=MatchingPolicy(
                    same_country_only=programme.matching_policy.same_country_only,
                    exclude_reporting_line=programme.matching_policy.exclude_reporting_line,
                    exclude_same_department=programme.matching_policy.exclude_same_department,
                    min_overlap_minutes=programme.matching_policy.min_overlap_minutes,
                    weights=dict(programme.matching_policy.weights),
                ),
                curriculum_version=programme.curriculum_version,
                time_zones=programme.time_zones,
                correlation_id=cmd.correlation_id,
            )
        ],
    )
    await uow.commit()
    return programme, True


async def enroll_participant(cmd: EnrollParticipant, uow: EnrollmentUnitOfWork) -> tuple[Participant, bool]:
    programme = await uow.programmes.get(cmd.programme_id)
    if programme is None:
        raise NotFound("programme", cmd.programme_id)
    participant = Participant(
        participant_id=Participant.id_for(cmd.programme_id, cmd.employee_id),
        programme_id=cmd.programme_id,
        employee_id=cmd.employee_id,
        display_name=cmd.display_name,
        email=cmd.email,
        role=cmd.role,
        country=cmd.country,
        languages=cmd.languages,
        time_zone=cmd.time_zone,
        seniority_level=cmd.seniority_level,
        department=cmd.department,
        availability=cmd.availability,
        manager_employee_id=cmd.manager_employee_id,
        skills=list(cmd.skills),
        must_match=cmd.must_match,
    )
    check_participant(participant, programme)
    existing = await uow.participants.get(participant.participant_id)
    if existing is not None:
        if not existing.same_enrollment_as(participant):
            raise Conflict("employee_id", "already enrolled in this programme with different data")
        return existing, False
    uow.participants.add(participant, [_enrolled(participant, cmd)])
    try:
        await uow.commit()
    except AlreadyExists:
        # A concurrent request enrolled the same person first: answer as a re-send would.
        return await enroll_participant(cmd, uow)
    return participant, True


async def withdraw_participant(cmd: WithdrawParticipant, uow: EnrollmentUnitOfWork) -> Participant:
    participant = await uow.participants.get(cmd.participant_id)
    if participant is None or participant.programme_id != cmd.programme_id:
        raise NotFound("participant", cmd.participant_id)
    if participant.withdraw(cmd.reason):
        event = ParticipantWithdrawn(participant_id=participant.participant_id, programme_id=participant.programme_id,
                                     reason=cmd.reason, correlation_id=cmd.correlation_id)
        uow.participants.save(participant, [event])
        await uow.commit()
    return participant


def _enrolled(p: Participant, cmd: EnrollParticipant) -> ParticipantEnrolled:
    return ParticipantEnrolled(
        participant_id=p.participant_id,
        programme_id=p.programme_id,
        role=p.role,
        country=p.country,
        languages=p.languages,
        time_zone=p.time_zone,
        seniority_level=p.seniority_level,
        availability=[WeeklySlot(weekday=s.weekday, start=s.as_hhmm()[0], end=s.as_hhmm()[1]) for s in p.availability],
        department=p.department,
        manager_participant_id=p.manager_participant_id,
        skills=[TopicSkill(topic=s.topic, proficiency=s.proficiency, wish=s.wish) for s in p.skills],
        must_match=p.must_match,
        correlation_id=cmd.correlation_id,
    )
