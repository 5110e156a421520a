"""Use cases of the feedback service."""

import asyncio
from datetime import datetime
from uuid import UUID

from feedback import published
from feedback.domain import invitations as invite
from feedback.domain.commands import (
    InviteToEndSurvey,
    RecordCompletedSession,
    RecordEnrollment,
    RecordPlannedSession,
    SubmitEndSurvey,
    SubmitSurvey,
)
from feedback.domain.end_survey import EndSurvey, answer_end
from feedback.domain.impact import ImpactReport, build_report
from feedback.domain.model import AnsweredDifferently, NotAMember, Survey, answer
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AlreadyExists, ConcurrentUpdate


async def record_completed_session(cmd: RecordCompletedSession, uow: FeedbackUnitOfWork,
                                   cause: IntegrationEvent | None = None) -> None:
    if await uow.tombstones.erased(cmd.session.mentor_id, cmd.session.mentee_id):
        return  # a member was erased: no record and no invitation is made for that pair again
    uow.sessions.put(cmd.session)
    await _invite(invite.after_session(cmd.session, cmd.survey_valid_for), uow, cause)


async def invite_to_end_survey(cmd: InviteToEndSurvey, uow: FeedbackUnitOfWork, cause: IntegrationEvent) -> None:
    await _invite(invite.at_end(cmd.pair, cmd.survey_valid_for), uow, cause)


async def _invite(invitations: list[invite.Invitation], uow: FeedbackUnitOfWork,
                  cause: IntegrationEvent | None) -> None:
    # Deterministic ids: a redelivered event finds its invitations and adds only what is missing.
    missing = await asyncio.gather(*(_missing(i, uow) for i in invitations))
    for i, to_add in zip(invitations, missing, strict=True):
        if to_add:
            uow.invitations.add(i, [published.invited(i, cause)] if cause else [])
    try:
        await uow.commit()
    except AlreadyExists:
        await _invite(invitations, uow, cause)


async def _missing(invitation: invite.Invitation, uow: FeedbackUnitOfWork) -> bool:
    """Not stored yet, and its respondent not erased (both read concurrently)."""
    erased, stored = await asyncio.gather(uow.tombstones.erased(invitation.respondent_id),
                                          uow.invitations.get(invitation.survey_id))
    return not erased and stored is None


async def record_planned_session(cmd: RecordPlannedSession, uow: FeedbackUnitOfWork) -> None:
    if await uow.tombstones.erased(cmd.session.mentor_id, cmd.session.mentee_id):
        return
    uow.planned.put(cmd.session)
    await uow.commit()


async def record_enrollment(cmd: RecordEnrollment, uow: FeedbackUnitOfWork) -> None:
    if await uow.tombstones.erased(cmd.participant.participant_id):
        return  # the erasure overtook the enrollment
    uow.participants.put(cmd.participant)
    await uow.commit()


async def submit_survey(cmd: SubmitSurvey, uow: FeedbackUnitOfWork) -> tuple[Survey, bool]:
    if await uow.tombstones.erased(cmd.respondent_id):
        raise NotAMember(cmd.respondent_id)
    session = await uow.sessions.get(cmd.session_id)
    survey = answer(session, cmd.session_id, cmd.respondent_id, cmd.rating, cmd.would_recommend, cmd.comment,
                    cmd.submitted_at, cmd.modules_covered, cmd.attitudes)
    invitation = await uow.invitations.get(survey.survey_id)
    if invitation is not None:
        invitation.check_open(cmd.submitted_at)
    survey, changed = _stage_answer(await uow.surveys.get(survey.survey_id), survey, uow.surveys,
                                    lambda s: published.session_submitted(s, cmd.correlation_id), cmd.on_resubmit)
    if not changed:
        return survey, False
    try:
        await uow.commit()
    except (AlreadyExists, ConcurrentUpdate):
        return await submit_survey(cmd, uow)
    return survey, True


async def submit_end_survey(cmd: SubmitEndSurvey, uow: FeedbackUnitOfWork) -> tuple[EndSurvey, bool]:
    invitation = await uow.invitations.get(invite.end_survey_id(cmd.pair_id, cmd.respondent_id))
    if invitation is None or await uow.tombstones.erased(cmd.respondent_id):
        raise invite.NotInvited(cmd.pair_id)
    enrolled = await uow.participants.get(cmd.respondent_id)
    survey = answer_end(invitation, cmd.answers, cmd.submitted_at, enrolled.skills if enrolled else {},
                        await uow.surveys.baseline_attitudes(cmd.respondent_id))
    survey, changed = _stage_answer(await uow.end_surveys.get(survey.survey_id), survey, uow.end_surveys,
                                    lambda s: published.end_submitted(s, cmd.correlation_id), cmd.on_resubmit)
    if not changed:
        return survey, False
    try:
        await uow.commit()
    except (AlreadyExists, ConcurrentUpdate):
        return await submit_end_survey(cmd, uow)
    return survey, True


def _stage_answer(existing, survey, store, event, on_resubmit: str):
    """What a (re-)submission means: a new answer, the same one again (nothing to do), a replacement
    (when the service is configured to replace), or a refusal."""
    if existing is None:
        store.add(survey, [event(survey)])
        return survey, True
    if existing.same_answers_as(survey):
        return existing, False
    if on_resubmit == "replace":
        survey = existing.replaced_by(survey)
        store.replace(survey, [event(survey)])
        return survey, True
    raise AnsweredDifferently(survey.survey_id)


class UnknownProgramme(Exception):
    """Feedback has heard nothing of this programme (no enrollment, session or survey)."""


async def impact_report(programme_id: UUID, uow: FeedbackUnitOfWork, k: int, now: datetime) -> ImpactReport:
    evidence = await uow.impact.evidence(programme_id)
    if not any(vars(evidence).values()):
        raise UnknownProgramme(programme_id)
    return build_report(programme_id, evidence, k, now)


async def erase_participant(participant_id: UUID, erasure_id: UUID, uow: FeedbackUnitOfWork) -> None:
    """Right to be forgotten: a tombstone first (late events create nothing for the person), then the
    answers stay as anonymous scores under random ids, nothing links them to the person."""
    uow.tombstones.record(participant_id)
    uow.keys.destroy(participant_id)
    uow.erasure.erase(participant_id, erasure_id)
    await uow.commit()
