"""Events published by the feedback service."""

from typing import ClassVar, Literal
from uuid import UUID

from shared.contracts.envelope import IntegrationEvent


class SurveySubmitted(IntegrationEvent):
    """Scores only: free-text comments stay in feedback's database (they may identify people)."""

    producer_service: ClassVar[str] = "feedback"
    event_type: Literal["SurveySubmitted"] = "SurveySubmitted"
    producer: str = "feedback"

    survey_id: UUID
    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: Literal["mentor", "mentee"]
    rating: int
    would_recommend: bool | None = None

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)
