from datetime import date
from uuid import UUID

from enrollment.domain.commands import EnrollParticipant, EraseParticipant, WithdrawParticipant
from enrollment.domain.curriculum import Curriculum
from enrollment.domain.errors import Invalid, NotFound
from enrollment.domain.model import Participant, Programme, check_participant
from enrollment.handlers.events import participant_state
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.contracts import ParticipantErased, ParticipantWithdrawn
from shared.mongo.aggregates import AlreadyExists

Outcome = str  # "enrolled" | "updated" | "unchanged"


async def open_programme(programme_id: UUID, today: date, uow: EnrollmentUnitOfWork) -> tuple[Programme, Curriculum]:
    programme = await uow.programmes.get(programme_id)
    if programme is None:
        raise NotFound("programme", programme_id)
    programme.check_enrollment_open(today)
    curriculum = await uow.curricula.get(programme.curriculum_version)
    if curriculum is None:
        raise Invalid("curriculum_version", f"no curriculum version {programme.curriculum_version!r}")
    return programme, curriculum


def participant_from(cmd: EnrollParticipant) -> Participant:
    return Participant(participant_id=Participant.id_for(cmd.programme_id, cmd.employee_id), **cmd.participant())


def stage_enrollment(p: Participant, existing: Participant | None, cmd: EnrollParticipant,
                     uow: EnrollmentUnitOfWork) -> tuple[Participant, Outcome]:
    """Stages what a (re-)send means: a new enrollment, an update of changed data, or nothing."""
    if existing is None:
        uow.participants.add(p, [participant_state(p, cmd.correlation_id)])
        return p, "enrolled"
    changed = existing.changes_from(p)
    if not changed:
        return existing, "unchanged"
    existing.apply(p, changed)
    uow.participants.save(existing, [participant_state(existing, cmd.correlation_id, changed)])
    return existing, "updated"


async def enroll_participant(cmd: EnrollParticipant, uow: EnrollmentUnitOfWork) -> tuple[Participant, Outcome]:
    programme, curriculum = await open_programme(cmd.programme_id, cmd.today, uow)
    participant = participant_from(cmd)
    check_participant(participant, programme, curriculum)
    existing = await uow.participants.get(participant.participant_id)
    result = stage_enrollment(participant, existing, cmd, uow)
    try:
        await uow.commit()
    except AlreadyExists:
        # A concurrent request enrolled the same person first: answer as a re-send would.
        return await enroll_participant(cmd, uow)
    return result


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


async def erase_participant(cmd: EraseParticipant, uow: EnrollmentUnitOfWork) -> None:
    participant = await uow.participants.get(cmd.participant_id)
    if participant is None or participant.programme_id != cmd.programme_id or participant.status == "erased":
        raise NotFound("participant", cmd.participant_id)
    participant.erase()
    event = ParticipantErased(participant_id=participant.participant_id, programme_id=participant.programme_id,
                              correlation_id=cmd.correlation_id)
    uow.participants.erase(participant, participant.employee_id, [event])
    await uow.commit()


async def forget_tombstone(participant_id: UUID, erasure_id: UUID, uow: EnrollmentUnitOfWork) -> None:
    uow.erasure.erase(participant_id, erasure_id)
    await uow.commit()
