"""Domain objects -> the events feedback publishes (scores only: free text never leaves the service)."""

from uuid import UUID

from feedback.domain.end_survey import EndSurvey
from feedback.domain.invitations import Invitation
from feedback.domain.model import Survey
from shared.contracts import (
    AttitudeChange,
    EndSurveySubmitted,
    IntegrationEvent,
    ItemScore,
    SkillChange,
    SurveyInvited,
    SurveySubmitted,
)


def invited(i: Invitation, cause: IntegrationEvent) -> SurveyInvited:
    return SurveyInvited(
        # Deterministic: a replay of the cause re-emits the same event id, so subscribers dedupe it.
        event_id=_derived(cause.event_id, i.survey_id),
        survey_id=i.survey_id, kind=i.kind, programme_id=i.programme_id, pair_id=i.pair_id,
        session_id=i.session_id, country=i.country, respondent_id=i.respondent_id,
        respondent_role=i.respondent_role, expires_at=i.expires_at, **cause.caused())


def session_submitted(s: Survey, correlation_id: UUID) -> SurveySubmitted:
    return SurveySubmitted(
        survey_id=s.survey_id, session_id=s.session_id, pair_id=s.pair_id, programme_id=s.programme_id,
        country=s.country, respondent_id=s.respondent_id, respondent_role=s.respondent_role, rating=s.rating,
        would_recommend=s.would_recommend, modules_covered=list(s.modules_covered),
        attitudes=[ItemScore(item=i, score=v) for i, v in s.attitudes.items()], revision=s.revision,
        correlation_id=correlation_id)


def end_submitted(s: EndSurvey, correlation_id: UUID) -> EndSurveySubmitted:
    return EndSurveySubmitted(
        survey_id=s.survey_id, pair_id=s.pair_id, programme_id=s.programme_id, country=s.country,
        respondent_id=s.respondent_id, respondent_role=s.respondent_role, would_recommend=s.would_recommend,
        nps=s.nps,
        skills=[SkillChange(topic=t, before=s.skills_before.get(t), after=v) for t, v in s.skills_after.items()],
        attitudes=[AttitudeChange(item=i, before=s.attitudes_before.get(i), after=v)
                   for i, v in s.attitudes_after.items()],
        gains=list(s.gains), revision=s.revision, correlation_id=correlation_id)


def _derived(cause: UUID, survey_id: UUID) -> UUID:
    from uuid import uuid5

    return uuid5(cause, str(survey_id))
