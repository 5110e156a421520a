"""Surveys answered by the members of a completed session."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5


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

    def role_of(self, participant_id: UUID) -> Literal["mentor", "mentee"]:
        if participant_id == self.mentor_id:
            return "mentor"
        if participant_id == self.mentee_id:
            return "mentee"
        raise NotAMember(participant_id)


@dataclass
class Survey:
    survey_id: UUID
    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: Literal["mentor", "mentee"]
    rating: int
    would_recommend: bool | None
    comment: str | None
    submitted_at: datetime
    version: int = 0

    @staticmethod
    def id_for(session_id: UUID, respondent_id: UUID) -> UUID:
        # One survey per respondent per session: a re-send lands on the same id.
        return uuid5(NAMESPACE_URL, f"binome:survey:{session_id}:{respondent_id}")

    def same_answers_as(self, other: "Survey") -> bool:
        return replace(self, submitted_at=other.submitted_at, version=0) == replace(other, version=0)


def answer(
    session: CompletedSession | None,
    session_id: UUID,
    respondent_id: UUID,
    rating: int,
    would_recommend: bool | None,
    comment: str | None,
    now: datetime,
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
    )
