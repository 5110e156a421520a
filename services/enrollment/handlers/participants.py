from dataclasses import replace
from datetime import date
from uuid import UUID

from enrollment.domain.commands import EnrollParticipant, EraseParticipant, WithdrawParticipant
from enrollment.domain.curriculum import Curriculum
from enrollment.domain.errors import Conflict, Invalid, NotFound
from enrollment.domain.model import Participant, Programme, check_participant, identity_key
from enrollment.handlers.events import participant_key, participant_state
from enrollment.unit_of_work import EnrollmentUnitOfWork, Identity
from shared.contracts import ParticipantErased, ParticipantWithdrawn
from shared.mongo.aggregates import AlreadyExists

Outcome = str  # "enrolled" | "updated" | "unchanged"
UNASSIGNED = UUID(int=0)  # until validation passes: ids are only allocated for valid enrollments


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
    return Participant(participant_id=UNASSIGNED, **cmd.participant())


def with_ids(p: Participant, ids: dict[str, Identity]) -> Participant:
    manager = ids[identity_key(p.manager_employee_id)].participant_id if p.manager_employee_id else None
    own = ids[identity_key(p.employee_id)]
    return replace(p, participant_id=own.participant_id, data_key=own.data_key, manager_participant_id=manager)


def employee_keys(participants: list[Participant]) -> list[str]:
    keys = [identity_key(p.employee_id) for p in participants]
    return keys + [identity_key(p.manager_employee_id) for p in participants if p.manager_employee_id]


def email_taken(p: Participant, owners: dict[str, UUID]) -> bool:
    return bool(p.email) and owners.get(identity_key(p.email), p.participant_id) != p.participant_id


def stage_enrollment(p: Participant, existing: Participant | None, cmd: EnrollParticipant,
                     uow: EnrollmentUnitOfWork) -> tuple[Participant, Outcome]:
    """Stages what a (re-)send means: a new enrollment, an update of changed data, or nothing."""
    if existing is None:
        uow.participants.add(p, [participant_key(p, cmd.correlation_id), participant_state(p, cmd.correlation_id)])
        return p, "enrolled"
    if existing.status == "erased":
        raise Conflict("employee_id", "this person's erasure is being completed; retry in a moment")
    changed = existing.changes_from(p)
    if not changed:
        return existing, "unchanged"
    old_email = existing.email
    existing.apply(p, changed)
    if "email" in changed and old_email:
        uow.identities.release_email(existing.programme_id, identity_key(old_email), existing.participant_id)
    uow.participants.save(existing, [participant_state(existing, cmd.correlation_id, changed)])
    return existing, "updated"


async def enroll_participant(cmd: EnrollParticipant, uow: EnrollmentUnitOfWork) -> tuple[Participant, Outcome]:
    programme, curriculum = await open_programme(cmd.programme_id, cmd.today, uow)
    participant = participant_from(cmd)
    check_participant(participant, programme, curriculum)
    participant = with_ids(participant, await uow.identities.allocate(cmd.programme_id, employee_keys([participant])))
    if participant.email:
        owners = await uow.identities.claim_emails(cmd.programme_id,
                                                   {identity_key(participant.email): participant.participant_id})
        if email_taken(participant, owners):
            raise Conflict("email", "this e-mail is already used by another participant of the programme")
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
    if participant is None or participant.programme_id != cmd.programme_id or participant.status == "erased":
        raise NotFound("participant", cmd.participant_id)  # an erased person is no one: nothing to withdraw
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
    # Crypto-shredding: the key is gone from this store with the rest of the record, and its
    # destroyed marker lets compaction remove it from the key topic.
    participant.data_key = None
    uow.participants.erase(participant, participant.employee_id, [participant_key(participant, cmd.correlation_id),
                                                                  event])
    uow.identities.forget(participant.participant_id)  # the same employee enrolling again is a new person
    await uow.commit()


async def forget_tombstone(participant_id: UUID, erasure_id: UUID, uow: EnrollmentUnitOfWork) -> None:
    """Once ParticipantErased is out: ids that still name the person (as someone's manager) become random."""
    uow.tombstones.record(participant_id)
    uow.erasure.erase(participant_id, erasure_id)
    await uow.commit()
