"""Invitations to answer a survey: one per survey and respondent, each with an expiry."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from feedback.domain.model import CompletedSession, PairRole, Survey

Kind = Literal["session", "end"]


class SurveyExpired(Exception):
    pass


class NotInvited(Exception):
    pass


@dataclass(frozen=True)
class EndedPair:
    pair_id: UUID
    programme_id: UUID
    country: str
    mentor_id: UUID
    mentee_id: UUID
    sessions_completed: int
    completed_at: datetime


@dataclass
class Invitation:
    survey_id: UUID
    kind: Kind
    programme_id: UUID
    pair_id: UUID
    session_id: UUID | None
    country: str
    respondent_id: UUID
    respondent_role: PairRole
    invited_at: datetime
    expires_at: datetime
    version: int = 0

    def check_open(self, now: datetime) -> None:
        if now > self.expires_at:
            raise SurveyExpired(self.expires_at)


def end_survey_id(pair_id: UUID, respondent_id: UUID) -> UUID:
    return uuid5(NAMESPACE_URL, f"binome:end-survey:{pair_id}:{respondent_id}")


def after_session(session: CompletedSession, valid_for: timedelta) -> list[Invitation]:
    return [
        Invitation(Survey.id_for(session.session_id, member), "session", session.programme_id, session.pair_id,
                   session.session_id, session.country, member, role, session.completed_at,
                   session.completed_at + valid_for)
        for member, role in session.members
    ]


def at_end(pair: EndedPair, valid_for: timedelta) -> list[Invitation]:
    members: tuple[tuple[UUID, PairRole], ...] = ((pair.mentor_id, "mentor"), (pair.mentee_id, "mentee"))
    return [
        Invitation(end_survey_id(pair.pair_id, member), "end", pair.programme_id, pair.pair_id, None,
                   pair.country, member, role, pair.completed_at, pair.completed_at + valid_for)
        for member, role in members
    ]
