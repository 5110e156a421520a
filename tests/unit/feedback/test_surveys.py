import uuid
from datetime import UTC, datetime

import pytest

from feedback import handlers
from feedback.domain.commands import RecordCompletedSession, SubmitSurvey
from feedback.domain.model import AnsweredDifferently, CompletedSession, NotAMember, SessionNotCompleted
from shared.contracts import SurveySubmitted
from tests.fakes.feedback import FakeFeedbackUnitOfWork


def completed() -> CompletedSession:
    return CompletedSession(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "BR", uuid.uuid4(), uuid.uuid4(),
                            datetime.now(UTC))


def submit(session: CompletedSession, respondent=None, rating=5, comment="Great") -> SubmitSurvey:
    return SubmitSurvey(session.session_id, respondent or session.mentee_id, rating, True, comment,
                        datetime.now(UTC), uuid.uuid4())


async def test_a_member_of_a_completed_session_submits_a_survey_and_scores_are_published():
    uow = FakeFeedbackUnitOfWork()
    session = completed()
    await handlers.record_completed_session(RecordCompletedSession(session), uow)
    _, created = await handlers.submit_survey(submit(session), uow)
    [event] = uow.surveys.events
    assert created and isinstance(event, SurveySubmitted)
    assert (event.respondent_role, event.rating, event.country) == ("mentee", 5, "BR")
    assert "comment" not in event.model_dump()


async def test_a_survey_for_an_unknown_session_or_from_a_stranger_is_refused():
    uow = FakeFeedbackUnitOfWork()
    session = completed()
    with pytest.raises(SessionNotCompleted):
        await handlers.submit_survey(submit(session), uow)
    await handlers.record_completed_session(RecordCompletedSession(session), uow)
    with pytest.raises(NotAMember):
        await handlers.submit_survey(submit(session, respondent=uuid.uuid4()), uow)


async def test_re_sending_the_same_answers_is_idempotent_and_different_answers_conflict():
    uow = FakeFeedbackUnitOfWork()
    session = completed()
    await handlers.record_completed_session(RecordCompletedSession(session), uow)
    first, _ = await handlers.submit_survey(submit(session), uow)
    again, created = await handlers.submit_survey(submit(session), uow)
    assert (again.survey_id, created, len(uow.surveys.events)) == (first.survey_id, False, 1)
    with pytest.raises(AnsweredDifferently):
        await handlers.submit_survey(submit(session, rating=2), uow)
