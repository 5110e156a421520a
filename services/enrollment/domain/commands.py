from dataclasses import dataclass, field
from uuid import UUID

from enrollment.domain.model import Format, MatchingPolicy, Role, Skill, Slot


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
    format: Format = "one_to_one"
    mentor_capacity: int = 1
    matching_policy: MatchingPolicy = field(default_factory=MatchingPolicy)
    time_zones: dict[str, str] | None = None


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
    manager_employee_id: str | None = None
    skills: tuple[Skill, ...] = ()
    must_match: bool = False


@dataclass(frozen=True)
class WithdrawParticipant:
    programme_id: UUID
    participant_id: UUID
    reason: str
    correlation_id: UUID
