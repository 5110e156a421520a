"""Events published by the enrollment service."""

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import IntegrationEvent
from shared.contracts.sealed import Sealed

Role = Literal["mentor", "mentee", "both"]


class WeeklySlot(BaseModel):
    """A recurring weekly window in the participant's own time zone (weekday 0 = Monday)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    weekday: int = Field(ge=0, le=6)
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


ProgrammeFormat = Literal["one_to_one", "group", "cafe"]


class TopicSkill(BaseModel):
    """Self-assessed proficiency (0-4) in a curriculum topic, and how much the person wants to learn it (0-4)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    topic: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    proficiency: int = Field(ge=0, le=4)
    wish: int = Field(default=0, ge=0, le=4)


class MatchingPolicy(BaseModel):
    """How a programme wants its pairs made (the matching service applies it)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    same_country_only: bool = False
    exclude_reporting_line: bool = True
    exclude_same_department: bool = False
    min_overlap_minutes: int = Field(default=60, ge=15)
    weights: dict[str, float] = Field(default_factory=dict, description="criterion -> weight; empty = defaults")


class CurriculumModule(BaseModel):
    """A module of the programme's curriculum version, in teaching order, with its topics."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str
    title: str
    topics: list[str] = Field(default_factory=list)


class CalendarSettings(BaseModel):
    """When sessions may take place, read alike by matching (who can meet) and scheduling (when)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    grid_minutes: Literal[15, 30, 60] = Field(default=15, description="sessions start every N minutes of UTC")
    weekend_days: list[int] = Field(default_factory=lambda: [5, 6], description="local weekdays off, 0 = Monday")
    holidays: Literal["national_and_regional", "national", "none"] = Field(
        default="national_and_regional", description="whose public holidays are days off")


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
    format: ProgrammeFormat = "one_to_one"
    mentor_capacity: int = Field(default=1, ge=1, le=50, description="mentees per mentor (1 for one-to-one)")
    matching_policy: MatchingPolicy = Field(default_factory=MatchingPolicy)
    curriculum_version: str | None = None
    time_zones: dict[str, str] = Field(default_factory=dict, description="country -> default IANA time zone")
    modules: list[CurriculumModule] = Field(default_factory=list, description="the curriculum version's modules")
    enrollment_opens: date | None = None
    enrollment_closes: date | None = None
    status: Literal["open", "closed"] = "open"
    schema_version: int = 2
    # v2: the programme's dates, calendar rules and planning deadline
    starts_on: date | None = Field(default=None, description="first date sessions may take place (mentee-local)")
    ends_on: date | None = Field(default=None, description="last date sessions may take place (mentee-local)")
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    planning_deadline_days: int = Field(default=28, ge=0, description="days after a pair's creation during which "
                                        "sessions that could not be placed are retried; then PairUnschedulable")

    @property
    def partition_key(self) -> str:
        return str(self.programme_id)


class ProgrammeUpdated(ProgrammeLaunched):
    """The programme's whole current state after a change (or its closure); `changed` names what moved."""

    event_type: Literal["ProgrammeUpdated"] = "ProgrammeUpdated"  # type: ignore[assignment]
    changed: list[str] = Field(default_factory=list)


class ParticipantProfile(BaseModel):
    """A participant's attributes: what matching, scheduling and feedback need. It travels only sealed
    (`ParticipantEnrolled.profile`) under the participant's data key, so erasure can destroy every copy."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    role: Role
    country: str
    languages: list[str]
    time_zone: str
    seniority_level: int
    availability: list[WeeklySlot]
    department: str | None = None
    # The manager as a participant id (allocated when first named, even when the manager never
    # enrolls), so matching can keep reporting lines apart without names.
    manager_participant_id: UUID | None = None
    skills: list[TopicSkill] = Field(default_factory=list)
    must_match: bool = Field(default=False, description="e.g. executive-committee members: matched first")
    region: str | None = Field(default=None, description="ISO 3166-2 subdivision (regional public holidays)")


class ParticipantEnrolled(IntegrationEvent):
    """A random participant id and the sealed profile; no name, e-mail or employee id (see docs/events.md).

    v2: the attributes moved into `profile`, sealed under the participant's data key (crypto-shredding)."""

    producer_service: ClassVar[str] = "enrollment"
    major_version: ClassVar[int] = 2
    event_type: Literal["ParticipantEnrolled"] = "ParticipantEnrolled"
    producer: str = "enrollment"

    participant_id: UUID
    programme_id: UUID
    profile: Sealed = Field(description="a ParticipantProfile, sealed")

    @property
    def partition_key(self) -> str:
        return str(self.participant_id)


class ParticipantUpdated(ParticipantEnrolled):
    """The participant's whole current enrollment after an HR re-send with changed data."""

    event_type: Literal["ParticipantUpdated"] = "ParticipantUpdated"  # type: ignore[assignment]
    changed: list[str] = Field(default_factory=list)


class ParticipantKey(IntegrationEvent):
    """A participant's data key, on a compacted topic readable only by the services (and subscribers
    authorised to read attributes). `data_key` null: destroyed by an erasure; compaction then removes
    the earlier record, and every sealed profile of that person becomes unreadable."""

    producer_service: ClassVar[str] = "enrollment"
    event_type: Literal["ParticipantKey"] = "ParticipantKey"
    producer: str = "enrollment"

    participant_id: UUID
    programme_id: UUID
    data_key: str | None = Field(description="base64 AES-256 key; null once destroyed")

    @property
    def partition_key(self) -> str:
        return str(self.participant_id)


class ParticipantWithdrawn(IntegrationEvent):
    """The participant left the programme: open pairs are dissolved, future sessions cancelled."""

    producer_service: ClassVar[str] = "enrollment"
    event_type: Literal["ParticipantWithdrawn"] = "ParticipantWithdrawn"
    producer: str = "enrollment"

    participant_id: UUID
    programme_id: UUID
    reason: Literal["withdrew", "left_company", "other"] = "withdrew"

    @property
    def partition_key(self) -> str:
        return str(self.participant_id)


class ParticipantErased(IntegrationEvent):
    """Right to be forgotten: every service deletes or anonymises what it holds about this participant.

    Services keep only what aggregate statistics need (e.g. a pair's country and completion counts),
    under a random identifier no one can link back to the person.
    """

    producer_service: ClassVar[str] = "enrollment"
    event_type: Literal["ParticipantErased"] = "ParticipantErased"
    producer: str = "enrollment"

    participant_id: UUID
    programme_id: UUID

    @property
    def partition_key(self) -> str:
        return str(self.participant_id)
