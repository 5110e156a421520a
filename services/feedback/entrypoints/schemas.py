"""Request and response bodies of feedback's HTTP API."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.contracts import ItemScore


def _unique(items: list, key: str) -> list:
    seen = [getattr(i, key) for i in items]
    if len(seen) != len(set(seen)):
        raise ValueError(f"each {key} may be answered once")
    return items


class SurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    session_id: UUID
    respondent_id: UUID = Field(description="participant_id of the mentor or mentee answering")
    rating: int = Field(ge=1, le=5, description="How useful was the session, 1-5")
    would_recommend: bool | None = None
    comment: str | None = Field(default=None, max_length=4000)
    modules_covered: list[str] = Field(default_factory=list, max_length=20,
                                       description="curriculum topic codes covered in the session")
    attitudes: list[ItemScore] = Field(default_factory=list, max_length=20, description=(
        "attitude items about the other generation, 1-5; answered in the first session survey they are the "
        "'before' of the attitude change"))

    @field_validator("attitudes")
    @classmethod
    def _once(cls, v: list[ItemScore]) -> list[ItemScore]:
        return _unique(v, "item")


class SurveyOut(BaseModel):
    survey_id: UUID
    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: str
    rating: int
    would_recommend: bool | None
    modules_covered: list[str] = []
    revision: int = 1
    submitted_at: datetime


class SurveyPage(BaseModel):
    items: list[SurveyOut]
    total: int
    offset: int
    limit: int


class TopicLevel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    proficiency: int = Field(ge=0, le=4, description="self-assessed now, same 0-4 scale as at enrollment")


class EndSurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    pair_id: UUID
    respondent_id: UUID
    would_recommend: bool = Field(description="Would you recommend the programme? (comparable with AXA's 97%)")
    nps: int = Field(ge=0, le=10, description="How likely are you to recommend it to a colleague, 0-10")
    skills: list[TopicLevel] = Field(default_factory=list, max_length=50)
    attitudes: list[ItemScore] = Field(default_factory=list, max_length=20)
    gains: list[str] = Field(default_factory=list, max_length=10, description=(
        "senior (mentee): digital_skills, relationship_to_work, enthusiasm, confidence_with_ai; "
        "junior (mentor): perspective, network, visibility, confidence"))
    comment: str | None = Field(default=None, max_length=4000)

    @field_validator("skills")
    @classmethod
    def _topic_once(cls, v: list[TopicLevel]) -> list[TopicLevel]:
        return _unique(v, "topic")

    @field_validator("attitudes")
    @classmethod
    def _item_once(cls, v: list[ItemScore]) -> list[ItemScore]:
        return _unique(v, "item")


class EndSurveyOut(BaseModel):
    survey_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: str
    would_recommend: bool
    nps: int
    gains: list[str]
    revision: int
    submitted_at: datetime


class InvitationOut(BaseModel):
    survey_id: UUID
    kind: str
    programme_id: UUID
    pair_id: UUID
    session_id: UUID | None
    country: str
    respondent_id: UUID
    respondent_role: str
    invited_at: datetime
    expires_at: datetime


class InvitationPage(BaseModel):
    items: list[InvitationOut]
    total: int
    offset: int
    limit: int
