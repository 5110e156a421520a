"""HTTP request and response bodies (the OpenAPI schema is generated from these)."""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

Code2 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]
Lang2 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_lower=True)]
Region = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$", to_upper=True)]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MatchingPolicyIn(Strict):
    same_country_only: bool = False
    exclude_reporting_line: bool = Field(default=True, description="never pair someone with their manager or a "
                                         "colleague reporting to the same manager")
    exclude_same_department: bool = False
    min_overlap_minutes: int = Field(default=60, ge=15, le=480, description="weekly availability both must share")
    weights: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")], Annotated[float, Field(ge=0, le=10)]] = \
        Field(default_factory=dict, description="criterion -> weight; empty means the matching defaults")


class CalendarIn(Strict):
    """One setting both matching and scheduling read: who can meet is decided by the same rules
    sessions are planned with."""

    grid_minutes: Literal[15, 30, 60] = Field(default=15, description="sessions start every N minutes of UTC")
    weekend_days: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [5, 6], max_length=6, description="local weekdays off (0 = Monday)")
    holidays: Literal["national_and_regional", "national", "none"] = Field(
        default="national_and_regional", description="public holidays that are days off: the participant's "
        "country's, and their region's when known")


class ProgrammeIn(Strict):
    code: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                      description="Stable business key; re-sending the same code is idempotent")
    name: str = Field(min_length=1, max_length=200)
    countries: list[Code2] = Field(min_length=1, max_length=100, description="ISO 3166-1 alpha-2")
    languages: list[Lang2] = Field(min_length=1, max_length=50, description="ISO 639-1")
    sessions_per_pair: int = Field(default=6, ge=1, le=52)
    session_minutes: int = Field(default=60, ge=15, le=480)
    cadence_days: int = Field(default=14, ge=1, le=90)
    format: Literal["one_to_one", "group", "cafe"] = "one_to_one"
    mentor_capacity: int = Field(default=1, ge=1, le=50, description="mentees per mentor; 1 for one-to-one")
    matching_policy: MatchingPolicyIn = Field(default_factory=MatchingPolicyIn)
    time_zones: dict[Code2, str] = Field(default_factory=dict, description="country -> default IANA time zone")
    curriculum_version: str = Field(default="2026.1", max_length=32, description="a published curriculum version")
    enrollment_opens: date | None = Field(default=None, description="first day of enrollment (UTC date)")
    enrollment_closes: date | None = Field(default=None, description="last day of enrollment (UTC date)")
    starts_on: date | None = Field(default=None, description="first date of sessions (mentee-local); default: "
                                   "the day after the launch")
    ends_on: date | None = Field(default=None, description="last date of sessions (mentee-local); default: half a "
                                 "year after starts_on, or longer for long series")
    calendar: CalendarIn = Field(default_factory=CalendarIn)
    planning_deadline_days: int = Field(default=28, ge=0, le=365, description="days a pair's unplaced sessions "
                                        "are retried before the pair is reported unschedulable")


class ProgrammeChanges(Strict):
    """Only the fields to change; the programme's code and identity stay. `null` is refused (422 naming
    the field) except for the enrollment dates, where it removes the date."""

    name: str = Field(default=None, min_length=1, max_length=200)
    countries: list[Code2] = Field(default=None, min_length=1, max_length=100)
    languages: list[Lang2] = Field(default=None, min_length=1, max_length=50)
    sessions_per_pair: int = Field(default=None, ge=1, le=52)
    session_minutes: int = Field(default=None, ge=15, le=480)
    cadence_days: int = Field(default=None, ge=1, le=90)
    format: Literal["one_to_one", "group", "cafe"] = Field(default=None)
    mentor_capacity: int = Field(default=None, ge=1, le=50)
    matching_policy: MatchingPolicyIn = Field(default=None)
    time_zones: dict[Code2, str] = Field(default=None)
    curriculum_version: str = Field(default=None, max_length=32)
    enrollment_opens: date | None = None
    enrollment_closes: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    calendar: CalendarIn | None = None
    planning_deadline_days: int | None = Field(default=None, ge=0, le=365)


class ProgrammeOut(BaseModel):
    programme_id: UUID
    code: str
    name: str
    countries: list[str]
    languages: list[str]
    sessions_per_pair: int
    session_minutes: int
    cadence_days: int
    format: str
    mentor_capacity: int
    matching_policy: MatchingPolicyIn
    time_zones: dict[str, str]
    curriculum_version: str
    enrollment_opens: date | None
    enrollment_closes: date | None
    starts_on: date | None
    ends_on: date | None
    calendar: CalendarIn
    planning_deadline_days: int
    status: str


class ProgrammePage(BaseModel):
    items: list[ProgrammeOut]
    total: int
    offset: int
    limit: int


class TopicIO(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    title: str = Field(min_length=1, max_length=200)


class ModuleIO(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)
    title: str = Field(min_length=1, max_length=200)
    topics: list[TopicIO] = Field(min_length=1, max_length=50)


class CurriculumIO(Strict):
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=32)
    title: str = Field(min_length=1, max_length=200)
    modules: list[ModuleIO] = Field(min_length=1, max_length=50)


class StatisticsRow(BaseModel):
    role: str
    country: str
    status: str
    participants: int


class ProgrammeStatistics(BaseModel):
    programme_id: UUID
    total: int
    by_role: dict[str, int]
    by_country: dict[str, int]
    by_status: dict[str, int]
    rows: list[StatisticsRow]


class RowErrorOut(BaseModel):
    row: int = Field(description="line in the file; the header is line 1")
    field: str
    reason: str


class ImportReportOut(BaseModel):
    rows: int
    enrolled: int
    updated: int
    unchanged: int
    rejected: list[RowErrorOut]


class SlotIn(Strict):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start: HHMM
    end: HHMM


class SkillIn(Strict):
    topic: str = Field(description="curriculum topic code, e.g. ai-assistants")
    proficiency: int = Field(ge=0, le=4, description="self-assessed, 0 = never used … 4 = could teach it")
    wish: int = Field(default=0, ge=0, le=4, description="how much the person wants to learn it, 0-4")


class ParticipantIn(Strict):
    employee_id: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    role: Literal["mentor", "mentee", "both"]
    country: Code2
    languages: list[Lang2] = Field(min_length=1, max_length=10)
    time_zone: str = Field(min_length=1, max_length=64, description="IANA time zone, e.g. Europe/Paris")
    region: Region | None = Field(default=None, description="ISO 3166-2 subdivision of the country, e.g. DE-BY "
                                  "or AU-NSW: its public holidays are days off too")
    seniority_level: int = Field(ge=0, le=10, description="0 = intern … 10 = executive committee")
    department: str | None = Field(default=None, max_length=120)
    availability: list[SlotIn] = Field(default_factory=list, max_length=50)
    manager_employee_id: str | None = Field(default=None, min_length=1, max_length=64)
    skills: list[SkillIn] = Field(default_factory=list, max_length=30)
    must_match: bool = Field(default=False, description="matched first, e.g. executive-committee members")
    goals: str | None = Field(default=None, max_length=2000, description="what the person wants from the programme "
                              "(stays in enrollment: free text is never published)")
    consents: list[Literal["programme_participation", "share_progress_with_manager", "contact_by_email"]] = Field(
        default_factory=lambda: ["programme_participation"],
        description="given consents; programme_participation is required")


class ParticipantOut(BaseModel):
    participant_id: UUID
    programme_id: UUID
    employee_id: str
    display_name: str
    role: str
    country: str
    languages: list[str]
    time_zone: str
    region: str | None
    seniority_level: int
    department: str | None
    availability: list[SlotIn]
    manager_employee_id: str | None
    skills: list[SkillIn]
    must_match: bool
    goals: str | None
    consents: list[str]
    status: str
    withdrawal_reason: str | None


class WithdrawalIn(Strict):
    reason: Literal["withdrew", "left_company", "other"] = "withdrew"


class ParticipantPage(BaseModel):
    items: list[ParticipantOut]
    total: int = Field(description="participants matching the filters, in all")
    offset: int
    limit: int
    next_after: UUID | None = Field(default=None, description="pass as `after` for the next page (id order); "
                                    "none once a page comes back short")
