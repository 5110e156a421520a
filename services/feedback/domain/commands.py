from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from feedback.domain.end_survey import EndAnswers
from feedback.domain.invitations import EndedPair
from feedback.domain.model import CompletedSession
from feedback.domain.participants import Participant, PlannedSession

OnResubmit = Literal["refuse", "replace"]


@dataclass(frozen=True)
class RecordCompletedSession:
    session: CompletedSession
    survey_valid_for: timedelta = timedelta(days=14)


@dataclass(frozen=True)
class RecordPlannedSession:
    session: PlannedSession


@dataclass(frozen=True)
class RecordEnrollment:
    participant: Participant


@dataclass(frozen=True)
class InviteToEndSurvey:
    pair: EndedPair
    survey_valid_for: timedelta = timedelta(days=30)


@dataclass(frozen=True)
class SubmitSurvey:
    session_id: UUID
    respondent_id: UUID
    rating: int
    would_recommend: bool | None
    comment: str | None
    submitted_at: datetime
    correlation_id: UUID
    modules_covered: tuple[str, ...] = ()
    attitudes: dict[str, int] = field(default_factory=dict)
    on_resubmit: OnResubmit = "refuse"


@dataclass(frozen=True)
class SubmitEndSurvey:
    pair_id: UUID
    respondent_id: UUID
    answers: EndAnswers
    submitted_at: datetime
    correlation_id: UUID
    on_resubmit: OnResubmit = "refuse"
