from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from feedback.domain.model import CompletedSession


@dataclass(frozen=True)
class RecordCompletedSession:
    session: CompletedSession


@dataclass(frozen=True)
class SubmitSurvey:
    session_id: UUID
    respondent_id: UUID
    rating: int
    would_recommend: bool | None
    comment: str | None
    submitted_at: datetime
    correlation_id: UUID
