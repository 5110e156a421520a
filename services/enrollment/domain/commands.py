from dataclasses import dataclass
from uuid import UUID

from enrollment.domain.model import Role, Slot


@dataclass(frozen=True)
class LaunchProgramme:
    code: str
    name: str
    countries: list[str]
    languages: list[str]
    sessions_per_pair: int
    session_minutes: int
    cadence_days: int
    correlation_id: UUID


@dataclass(frozen=True)
class EnrollParticipant:
    programme_id: UUID
    employee_id: str
    display_name: str
    email: str | None
    role: Role
    country: str
    languages: list[str]
    time_zone: str
    seniority_level: int
    department: str | None
    availability: list[Slot]
    correlation_id: UUID
