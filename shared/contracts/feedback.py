"""Events published by the feedback service."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.envelope import IntegrationEvent

SurveyKind = Literal["session", "end"]


class ItemScore(BaseModel):
    """One Likert answer (1-5) to a named attitude item about the other generation."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    item: str
    score: int = Field(ge=1, le=5)


class AttitudeChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    item: str
    before: int | None = Field(default=None, ge=1, le=5, description="from the respondent's first session survey")
    after: int = Field(ge=1, le=5)


class SkillChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    topic: str
    before: int | None = Field(default=None, ge=0, le=4, description="proficiency given at enrollment")
    after: int = Field(ge=0, le=4)


class SurveyInvited(IntegrationEvent):
    """A participant is invited to answer a survey before `expires_at`; delivery systems send the invitation."""

    producer_service: ClassVar[str] = "feedback"
    event_type: Literal["SurveyInvited"] = "SurveyInvited"
    producer: str = "feedback"

    survey_id: UUID = Field(description="the id the answer will carry (one per survey and respondent)")
    kind: SurveyKind
    programme_id: UUID
    pair_id: UUID
    session_id: UUID | None = Field(default=None, description="set for a session survey")
    country: str
    respondent_id: UUID
    respondent_role: Literal["mentor", "mentee"]
    expires_at: AwareDatetime

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)


class SurveySubmitted(IntegrationEvent):
    """Scores only: free-text comments stay in feedback's database (they may identify people)."""

    producer_service: ClassVar[str] = "feedback"
    event_type: Literal["SurveySubmitted"] = "SurveySubmitted"
    producer: str = "feedback"
    schema_version: int = 2

    survey_id: UUID
    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: Literal["mentor", "mentee"]
    rating: int
    would_recommend: bool | None = None
    # v2: what analytics needs beyond the rating
    modules_covered: list[str] = Field(default_factory=list)
    attitudes: list[ItemScore] = Field(default_factory=list, description="baseline attitude items, if answered")
    revision: int = Field(default=1, description="2+ when a resubmission replaced the answer (if configured)")

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)


class EndSurveySubmitted(IntegrationEvent):
    """The end-of-programme answers, scores only (free text stays in feedback's database)."""

    producer_service: ClassVar[str] = "feedback"
    event_type: Literal["EndSurveySubmitted"] = "EndSurveySubmitted"
    producer: str = "feedback"

    survey_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: Literal["mentor", "mentee"]
    would_recommend: bool
    nps: int = Field(ge=0, le=10)
    skills: list[SkillChange] = Field(default_factory=list)
    attitudes: list[AttitudeChange] = Field(default_factory=list)
    gains: list[str] = Field(default_factory=list)
    revision: int = 1

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)
