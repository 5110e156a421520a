import uuid
from datetime import UTC, datetime, timedelta

import pytest

from feedback import handlers
from feedback.domain.invitations import NotInvited, SurveyExpired
from feedback.domain.model import AnsweredDifferently
from feedback.domain.questionnaire import InvalidAnswer
from shared.contracts import EndSurveySubmitted
from tests.factories import profile
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.feedback_scenario import programme
from tests.unit.feedback.drive import end_cmd, feed, session_cmd


async def _ready():
    uow = FakeFeedbackUnitOfWork()
    sc = programme(pairs=6, seed=11)
    await feed(sc, uow, answers=False)
    return uow, sc


async def test_the_end_survey_compares_skills_with_enrollment_and_attitudes_with_the_first_survey():
    uow, sc = await _ready()
    first, body = next((f, b) for b in sc.end_answers for f in sc.session_answers
                       if f["respondent_id"] == b["respondent_id"] and "attitudes" in f)
    respondent = uuid.UUID(body["respondent_id"])
    await handlers.submit_survey(session_cmd(first), uow)
    survey, created = await handlers.submit_end_survey(end_cmd(body), uow)
    enrolled = next(e for e in sc.enrolled if e.participant_id == respondent)
    assert created and survey.skills_before == {s.topic: s.proficiency for s in profile(enrolled).skills}
    assert survey.attitudes_before == {a["item"]: a["score"] for a in first["attitudes"]}
    [event] = uow.end_surveys.events
    assert isinstance(event, EndSurveySubmitted) and event.nps == body["nps"]
    assert {(s.topic, s.before, s.after) for s in event.skills} == {
        (s["topic"], survey.skills_before[s["topic"]], s["proficiency"]) for s in body["skills"]}
    assert "comment" not in event.model_dump(), "free text stays in feedback's database"


@pytest.mark.parametrize(("change", "field"), [
    ({"gains": ["network"]}, "gains"),  # a junior's gain asked of a senior, or the reverse
    ({"attitudes": [{"item": "lazy", "score": 3}]}, "attitudes"),
    ({"skills": [{"topic": "copilot", "proficiency": 7}]}, "skills"),
    ({"nps": 11}, "nps"),
])
async def test_answers_outside_the_questionnaire_are_refused_naming_the_field(change, field):
    uow, sc = await _ready()
    body = dict(sc.end_answers[0])
    senior = next(e for e in sc.enrolled if str(e.participant_id) == body["respondent_id"])
    senior = profile(senior).role == "mentee"
    if field == "gains" and not senior:
        change = {"gains": ["enthusiasm"]}
    with pytest.raises(InvalidAnswer) as refused:
        await handlers.submit_end_survey(end_cmd({**body, **change}), uow)
    assert refused.value.field == field


async def test_someone_without_an_end_invitation_or_too_late_is_refused():
    uow, sc = await _ready()
    body = sc.end_answers[0]
    with pytest.raises(NotInvited):
        await handlers.submit_end_survey(end_cmd({**body, "respondent_id": str(uuid.uuid4())}), uow)
    with pytest.raises(SurveyExpired):
        await handlers.submit_end_survey(end_cmd(body, now=datetime.now(UTC) + timedelta(days=31)), uow)


async def test_a_second_different_answer_is_refused_unless_configured_to_replace_the_first():
    uow, sc = await _ready()
    body = sc.end_answers[0]
    first, _ = await handlers.submit_end_survey(end_cmd(body), uow)
    same, created = await handlers.submit_end_survey(end_cmd(body), uow)
    assert not created and same.survey_id == first.survey_id
    changed = {**body, "nps": 0 if body["nps"] else 10}
    with pytest.raises(AnsweredDifferently):
        await handlers.submit_end_survey(end_cmd(changed), uow)
    replaced, created = await handlers.submit_end_survey(end_cmd(changed, on_resubmit="replace"), uow)
    assert created and replaced.revision == 2 and replaced.nps == changed["nps"]
    assert [e.revision for e in uow.end_surveys.events] == [1, 2]
    assert len(uow.end_surveys.items) == 1


async def test_a_session_survey_may_replace_the_first_answer_when_configured():
    uow, sc = await _ready()
    body = sc.session_answers[0]
    await handlers.submit_survey(session_cmd(body), uow)
    other = {**body, "rating": 1 if body["rating"] != 1 else 2}
    with pytest.raises(AnsweredDifferently):
        await handlers.submit_survey(session_cmd(other), uow)
    replaced, _ = await handlers.submit_survey(session_cmd(other, on_resubmit="replace"), uow)
    assert replaced.rating == other["rating"] and [e.revision for e in uow.surveys.events] == [1, 2]
