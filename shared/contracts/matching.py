"""Events published by the matching service."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.enrollment import WeeklySlot
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.sealed import Sealed


class MemberProfile(BaseModel):
    """What scheduling needs to plan a member's sessions in their own time zone (travels sealed)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    country: str
    time_zone: str
    availability: list[WeeklySlot]
    region: str | None = Field(default=None, description="ISO 3166-2 subdivision, when known")


class PairMember(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    participant_id: UUID
    profile: Sealed = Field(description="a MemberProfile, sealed under this member's data key")


class PairOverride(BaseModel):
    """A manager paired this couple although it breaks hard rules: who, why, and which rules."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    by: str
    reason: str
    rules: list[str] = Field(description="the hard rules the couple breaks, e.g. no_shared_language")


class PairCreated(IntegrationEvent):
    """v2: each member's country, time zone and availability are sealed under their data key."""

    producer_service: ClassVar[str] = "matching"
    major_version: ClassVar[int] = 2
    event_type: Literal["PairCreated"] = "PairCreated"
    producer: str = "matching"
    schema_version: int = 2  # on the v2 topic: 2 adds `override`

    pair_id: UUID
    programme_id: UUID
    country: str
    language: str = Field(description="a language both speak; empty only when an override pairs a couple with none")
    mentor: PairMember
    mentee: PairMember
    score: float
    score_breakdown: dict[str, float] = Field(default_factory=dict, description="criterion -> contribution")
    # topic -> "mentor_teaches" | "mentee_teaches" (cross mentoring: both directions occur)
    learning_directions: dict[str, Literal["mentor_teaches", "mentee_teaches"]] = Field(default_factory=dict)
    override: PairOverride | None = Field(default=None, description="schema 2: present when a pin overrode hard rules")

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)


class PairDissolved(IntegrationEvent):
    """A pair ended before completing its plan; scheduling cancels its future sessions."""

    producer_service: ClassVar[str] = "matching"
    event_type: Literal["PairDissolved"] = "PairDissolved"
    producer: str = "matching"

    pair_id: UUID
    programme_id: UUID
    mentor_id: UUID
    mentee_id: UUID
    reason: Literal["participant_withdrew", "manager_decision", "inactive", "no_longer_compatible", "unschedulable"]
    withdrawn_participant_id: UUID | None = None
    schema_version: int = 2
    detail: str | None = Field(default=None, description="v2: the hard rule a ParticipantUpdated broke, or "
                               "scheduling's reason for an unschedulable pair")

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)
