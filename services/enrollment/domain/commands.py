from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any
from uuid import UUID

from enrollment.domain.curriculum import DEFAULT_CURRICULUM_VERSION, Curriculum
from enrollment.domain.model import Format, MatchingPolicy, Role, Skill, Slot
from shared.availability import CalendarRules


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
    time_zones: dict[str, str] = field(default_factory=dict)
    curriculum_version: str = DEFAULT_CURRICULUM_VERSION
    enrollment_opens: date | None = None
    enrollment_closes: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    calendar: CalendarRules = field(default_factory=CalendarRules)
    planning_deadline_days: int = 28
    today: date | None = None  # the launch date: the programme's dates default from it

    def settings(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("correlation_id", "today")}


@dataclass(frozen=True)
class UpdateProgramme:
    programme_id: UUID
    changes: dict[str, Any]
    correlation_id: UUID


@dataclass(frozen=True)
class CloseProgramme:
    programme_id: UUID
    correlation_id: UUID


@dataclass(frozen=True)
class PublishCurriculum:
    curriculum: Curriculum


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
    today: date
    manager_employee_id: str | None = None
    skills: tuple[Skill, ...] = ()
    must_match: bool = False
    region: str | None = None
    goals: str | None = None
    consents: tuple[str, ...] = ("programme_participation",)

    def participant(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("correlation_id", "today")}
        return {**values, "skills": list(self.skills)}


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str


@dataclass(frozen=True)
class ImportParticipants:
    """An HR export already parsed: each row is either a command or the reason it could not be read."""

    programme_id: UUID
    rows: list[tuple[int, EnrollParticipant | RowError]]
    correlation_id: UUID
    today: date


@dataclass(frozen=True)
class EraseParticipant:
    programme_id: UUID
    participant_id: UUID
    correlation_id: UUID


@dataclass(frozen=True)
class WithdrawParticipant:
    programme_id: UUID
    participant_id: UUID
    reason: str
    correlation_id: UUID
