"""Use cases of the feedback service."""

from feedback.domain.commands import RecordCompletedSession, SubmitSurvey
from feedback.domain.model import AnsweredDifferently, Survey, answer
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.contracts import SurveySubmitted
from shared.mongo.aggregates import AlreadyExists


async def record_completed_session(cmd: RecordCompletedSession, uow: FeedbackUnitOfWork) -> None:
    uow.sessions.put(cmd.session)
    await uow.commit()


async def submit_survey(cmd: SubmitSurvey, uow: FeedbackUnitOfWork) -> tuple[Survey, bool]:
    session = await uow.sessions.get(cmd.session_id)
    survey = answer(session, cmd.session_id, cmd.respondent_id, cmd.rating, cmd.would_recommend, cmd.comment,
                    cmd.submitted_at)
    existing = await uow.surveys.get(survey.survey_id)
    if existing is not None:
        if not existing.same_answers_as(survey):
            raise AnsweredDifferently(survey.survey_id)
        return existing, False
    uow.surveys.add(survey, [_submitted(survey, cmd)])
    try:
        await uow.commit()
    except AlreadyExists:
        return await submit_survey(cmd, uow)
    return survey, True


def _submitted(s: Survey, cmd: SubmitSurvey) -> SurveySubmitted:
    return SurveySubmitted(
        survey_id=s.survey_id,
        session_id=s.session_id,
        pair_id=s.pair_id,
        programme_id=s.programme_id,
        country=s.country,
        respondent_id=s.respondent_id,
        respondent_role=s.respondent_role,
        rating=s.rating,
        would_recommend=s.would_recommend,
        correlation_id=cmd.correlation_id,
    )
