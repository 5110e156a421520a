"""Use cases: load, ask the domain, stage state + events, commit."""

from dataclasses import replace

from enrollment.domain.commands import EnrollParticipant, LaunchProgramme
from enrollment.domain.errors import Conflict, NotFound
from enrollment.domain.model import Participant, Programme, check_participant
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.contracts import ParticipantEnrolled, ProgrammeLaunched, WeeklySlot
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
        correlation_id=cmd.correlation_id,
    )
