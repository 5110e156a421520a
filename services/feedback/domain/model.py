"""Session surveys answered by the members of a completed session."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from feedback.domain.questionnaire import Answers, check_attitudes

PairRole = Literal["mentor", "mentee"]


class SessionNotCompleted(Exception):
    pass


class NotAMember(Exception):
    pass


class AnsweredDifferently(Exception):
    pass


@dataclass(frozen=True)
class CompletedSession:
    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    mentor_id: UUID
    mentee_id: UUID
    completed_at: datetime
    sequence: int = 1

    def role_of(self, participant_id: UUID) -> PairRole:
        if participant_id == self.mentor_id:
            return "mentor"
        if participant_id == self.mentee_id:
            return "mentee"
        raise NotAMember(participant_id)

    @property
    def members(self) -> tuple[tuple[UUID, PairRole], ...]:
        return (self.mentor_id, "mentor"), (self.mentee_id, "mentee")


@dataclass
class Survey:
    survey_id: UUID
    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: PairRole
    rating: int
    would_recommend: bool | None
    comment: str | None
    submitted_at: datetime
    modules_covered: tuple[str, ...] = ()
    attitudes: Answers = field(default_factory=dict)
    revision: int = 1
    version: int = 0

    @staticmethod
    def id_for(session_id: UUID, respondent_id: UUID) -> UUID:
        # One survey per respondent per session: a re-send lands on the same id.
        return uuid5(NAMESPACE_URL, f"binome:survey:{session_id}:{respondent_id}")

    def same_answers_as(self, other: "Survey") -> bool:
        return _answers(self) == _answers(other)

    def replaced_by(self, other: "Survey") -> "Survey":
        return replace(other, revision=self.revision + 1, version=self.version)


def _answers(s: Survey) -> Survey:
    return replace(s, submitted_at=datetime.min, revision=1, version=0)


def answer(
    session: CompletedSession | None,
    session_id: UUID,
    respondent_id: UUID,
    rating: int,
    would_recommend: bool | None,
    comment: str | None,
    now: datetime,
    modules_covered: tuple[str, ...] = (),
    attitudes: Answers | None = None,
) -> Survey:
    if session is None:
        raise SessionNotCompleted(session_id)
    return Survey(
        survey_id=Survey.id_for(session_id, respondent_id),
        session_id=session_id,
        pair_id=session.pair_id,
        programme_id=session.programme_id,
        country=session.country,
        respondent_id=respondent_id,
        respondent_role=session.role_of(respondent_id),
        rating=rating,
        would_recommend=would_recommend,
        comment=comment,
        submitted_at=now,
        modules_covered=tuple(sorted(set(modules_covered))),
        attitudes=check_attitudes(attitudes or {}),
    )
