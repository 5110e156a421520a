"""Events published by the matching service."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.contracts.enrollment import WeeklySlot
from shared.contracts.envelope import IntegrationEvent


class PairMember(BaseModel):
    """What scheduling needs to plan a member's sessions in their own time zone."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    participant_id: UUID
    country: str
    time_zone: str
    availability: list[WeeklySlot]


class PairCreated(IntegrationEvent):
    producer_service: ClassVar[str] = "matching"
    event_type: Literal["PairCreated"] = "PairCreated"
    producer: str = "matching"

    pair_id: UUID
    programme_id: UUID
    country: str
    language: str
    mentor: PairMember
    mentee: PairMember
    score: float

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)
