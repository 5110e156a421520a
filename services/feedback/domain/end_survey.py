"""The end-of-programme survey: recommendation, NPS, skills after vs at enrollment, attitudes after vs before."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from feedback.domain.invitations import Invitation
from feedback.domain.model import PairRole
from feedback.domain.questionnaire import Answers, InvalidAnswer, check_attitudes, check_gains, check_skills


@dataclass
class EndSurvey:
    survey_id: UUID  # the invitation's
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: PairRole
    would_recommend: bool
    nps: int
    skills_after: Answers
    attitudes_after: Answers
    gains: tuple[str, ...]
    comment: str | None
    submitted_at: datetime
    skills_before: Answers = field(default_factory=dict)
    attitudes_before: Answers = field(default_factory=dict)
    revision: int = 1
    version: int = 0

    def same_answers_as(self, other: "EndSurvey") -> bool:
        return _answers(self) == _answers(other)

    def replaced_by(self, other: "EndSurvey") -> "EndSurvey":
        return replace(other, revision=self.revision + 1, version=self.version)


def _answers(s: EndSurvey) -> EndSurvey:
    return replace(s, submitted_at=datetime.min, revision=1, version=0)


@dataclass(frozen=True)
class EndAnswers:
    would_recommend: bool
    nps: int
    skills: Answers
    attitudes: Answers
    gains: tuple[str, ...]
    comment: str | None


def answer_end(invitation: Invitation, answers: EndAnswers, now: datetime, skills_before: Answers,
               attitudes_before: Answers) -> EndSurvey:
    """`skills_before` is the proficiency given at enrollment; `attitudes_before` the first session survey's."""
    invitation.check_open(now)
    if not 0 <= answers.nps <= 10:
        raise InvalidAnswer("nps", "must be 0-10")
    return EndSurvey(
        survey_id=invitation.survey_id,
        pair_id=invitation.pair_id,
        programme_id=invitation.programme_id,
        country=invitation.country,
        respondent_id=invitation.respondent_id,
        respondent_role=invitation.respondent_role,
        would_recommend=answers.would_recommend,
        nps=answers.nps,
        skills_after=check_skills(answers.skills),
        attitudes_after=check_attitudes(answers.attitudes),
        gains=check_gains(invitation.respondent_role, answers.gains),
        comment=answers.comment,
        submitted_at=now,
        skills_before={t: v for t, v in skills_before.items() if t in answers.skills},
        attitudes_before={i: v for i, v in attitudes_before.items() if i in answers.attitudes},
    )
