"""Events published by the enrollment service."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import IntegrationEvent

Role = Literal["mentor", "mentee", "both"]


class WeeklySlot(BaseModel):
    """A recurring weekly window in the participant's own time zone (weekday 0 = Monday)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    weekday: int = Field(ge=0, le=6)
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


class ProgrammeLaunched(IntegrationEvent):
    """What matching and scheduling need about a programme, so they never call enrollment."""

    producer_service: ClassVar[str] = "enrollment"
    event_type: Literal["ProgrammeLaunched"] = "ProgrammeLaunched"
    producer: str = "enrollment"

    programme_id: UUID
    name: str
    countries: list[str]
    languages: list[str]
    sessions_per_pair: int = 6
    session_minutes: int = 60
    cadence_days: int = 14

    @property
    def partition_key(self) -> str:
        return str(self.programme_id)


class ParticipantEnrolled(IntegrationEvent):
    """Carries what matching and scheduling need; no name, e-mail or employee id (see docs/events.md)."""

    producer_service: ClassVar[str] = "enrollment"
    event_type: Literal["ParticipantEnrolled"] = "ParticipantEnrolled"
    producer: str = "enrollment"

    participant_id: UUID
    programme_id: UUID
    role: Role
    country: str
    languages: list[str]
    time_zone: str
    seniority_level: int
    availability: list[WeeklySlot]

    @property
    def partition_key(self) -> str:
        return str(self.participant_id)
