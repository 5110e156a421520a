"""Programmes and the participants enrolled in them."""

from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from enrollment.domain.curriculum import DEFAULT_CURRICULUM_VERSION, DEFAULT_TOPICS
from enrollment.domain.errors import Conflict, Invalid
from enrollment.domain.reference_data import country_codes, language_codes, time_zones

Role = Literal["mentor", "mentee", "both"]
Format = Literal["one_to_one", "group", "cafe"]


@dataclass(frozen=True)
class Slot:
    """Weekly availability in the participant's own time zone; minutes since local midnight."""

    weekday: int
    start_minute: int
    end_minute: int

    @classmethod
    def parse(cls, weekday: int, start: str, end: str) -> "Slot":
        return cls(weekday, _minutes(start), _minutes(end))

    def as_hhmm(self) -> tuple[str, str]:
        return _hhmm(self.start_minute), _hhmm(self.end_minute)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Skill:
    topic: str
    proficiency: int
    wish: int


@dataclass(frozen=True)
class MatchingPolicy:
    same_country_only: bool = False
    exclude_reporting_line: bool = True
    exclude_same_department: bool = False
    min_overlap_minutes: int = 60
    weights: tuple[tuple[str, float], ...] = ()


@dataclass
class Programme:
    programme_id: UUID
    code: str
    name: str
    countries: list[str]
    languages: list[str]
    sessions_per_pair: int = 6
    session_minutes: int = 60
    cadence_days: int = 14
    format: Format = "one_to_one"
    mentor_capacity: int = 1
    matching_policy: MatchingPolicy = field(default_factory=MatchingPolicy)
    time_zones: dict[str, str] = field(default_factory=dict)
    curriculum_version: str = DEFAULT_CURRICULUM_VERSION
    version: int = 0

    @staticmethod
    def id_for(code: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"binome:programme:{code}")

    def check(self) -> None:
        _codes("countries", self.countries, country_codes())
        _codes("languages", self.languages, language_codes())
        if self.format == "one_to_one" and self.mentor_capacity != 1:
            raise Invalid("mentor_capacity", "a one-to-one programme has a mentor capacity of 1")
        for country, zone in self.time_zones.items():
            if country not in self.countries:
                raise Invalid(f"time_zones.{country}", "not one of the programme's countries")
            if zone not in time_zones():
                raise Invalid(f"time_zones.{country}", f"{zone!r} is not an IANA time zone")


@dataclass
class Participant:
    participant_id: UUID
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
    availability: list[Slot] = field(default_factory=list)
    manager_employee_id: str | None = None
    skills: list[Skill] = field(default_factory=list)
    must_match: bool = False
    status: Literal["enrolled", "withdrawn"] = "enrolled"
    withdrawal_reason: str | None = None
    version: int = 0

    @staticmethod
    def id_for(programme_id: UUID, employee_id: str) -> UUID:
        # Deterministic, so re-sending the same person finds the existing enrollment.
        return uuid5(programme_id, f"employee:{employee_id}")

    @property
    def manager_participant_id(self) -> UUID | None:
        return Participant.id_for(self.programme_id, self.manager_employee_id) if self.manager_employee_id else None

    def same_enrollment_as(self, other: "Participant") -> bool:
        ignored = {"version": 0, "status": "enrolled", "withdrawal_reason": None}
        return replace(self, **ignored) == replace(other, **ignored)

    def withdraw(self, reason: str) -> bool:
        """False when already withdrawn for the same reason (an idempotent re-send)."""
        if self.status == "withdrawn":
            if self.withdrawal_reason != reason:
                raise Conflict("reason", f"already withdrawn ({self.withdrawal_reason})")
            return False
        self.status = "withdrawn"
        self.withdrawal_reason = reason
        return True


def check_participant(p: Participant, programme: Programme) -> None:
    if p.country not in programme.countries:
        raise Invalid("country", f"{p.country!r} is not one of the programme's countries {programme.countries}")
    _codes("languages", p.languages, language_codes())
    outside = [lang for lang in p.languages if lang not in programme.languages]
    if outside:
        raise Invalid("languages", f"{outside} not among the programme's languages {programme.languages}")
    if p.time_zone not in time_zones():
        raise Invalid("time_zone", f"{p.time_zone!r} is not an IANA time zone")
    check_availability(p.availability)
    if p.manager_employee_id == p.employee_id:
        raise Invalid("manager_employee_id", "a participant cannot be their own manager")
    topics = [s.topic for s in p.skills]
    for i, topic in enumerate(topics):
        if topic not in DEFAULT_TOPICS:
            raise Invalid(f"skills.{i}.topic", f"unknown topic {topic!r}; known: {sorted(DEFAULT_TOPICS)}")
        if topics.index(topic) != i:
            raise Invalid(f"skills.{i}.topic", f"{topic!r} is listed twice")


def check_availability(slots: list[Slot]) -> None:
    for i, slot in enumerate(slots):
        if not slot.start_minute < slot.end_minute <= 24 * 60:
            raise Invalid(f"availability.{i}", "start must be before end, within the day")
    ordered = sorted(enumerate(slots), key=lambda s: (s[1].weekday, s[1].start_minute))
    for (_, a), (j, b) in pairwise(ordered):
        if a.weekday == b.weekday and b.start_minute < a.end_minute:
            raise Invalid(f"availability.{j}", "overlaps another slot on the same day")


def _codes(name: str, values: list[str], known: frozenset[str]) -> None:
    if not values:
        raise Invalid(name, "must not be empty")
    unknown = [v for v in values if v not in known]
    if unknown:
        raise Invalid(name, f"unknown code(s) {unknown}")
