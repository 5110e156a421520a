"""Programmes and the participants enrolled in them."""

from dataclasses import dataclass, field, fields, replace
from datetime import date
from itertools import pairwise
from typing import Any, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from enrollment.domain.curriculum import DEFAULT_CURRICULUM_VERSION, Curriculum
from enrollment.domain.errors import Conflict, Invalid
from enrollment.domain.reference_data import country_codes, language_codes, subdivision_codes, time_zones
from shared.availability import CalendarRules

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
    enrollment_opens: date | None = None
    enrollment_closes: date | None = None
    status: Literal["open", "closed"] = "open"
    starts_on: date | None = None
    ends_on: date | None = None
    calendar: CalendarRules = field(default_factory=CalendarRules)
    planning_deadline_days: int = 28
    version: int = 0

    @staticmethod
    def id_for(code: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"binome:programme:{code}")

    def same_settings_as(self, other: "Programme") -> bool:
        return replace(self, version=0) == replace(other, version=0)

    def update(self, changes: dict[str, Any]) -> list[str]:
        """Applies the changes and returns the names of the fields that really changed."""
        if self.status == "closed":
            raise Conflict("programme_id", "the programme is closed")
        immutable = {"programme_id", "code", "status", "version"} & set(changes)
        if immutable:
            raise Invalid(sorted(immutable)[0], "cannot be changed")
        changed = [name for name, value in changes.items() if getattr(self, name) != value]
        for name in changed:
            setattr(self, name, changes[name])
        self.check()
        return changed

    def close(self) -> bool:
        if self.status == "closed":
            return False
        self.status = "closed"
        return True

    def check_enrollment_open(self, today: date) -> None:
        if self.status == "closed":
            raise Conflict("programme_id", "the programme is closed to enrollment")
        if self.enrollment_opens and today < self.enrollment_opens:
            raise Conflict("programme_id", f"enrollment opens on {self.enrollment_opens.isoformat()}")
        if self.enrollment_closes and today > self.enrollment_closes:
            raise Conflict("programme_id", f"enrollment closed on {self.enrollment_closes.isoformat()}")

    def check(self) -> None:
        _codes("countries", self.countries, country_codes())
        _codes("languages", self.languages, language_codes())
        if self.format == "one_to_one" and self.mentor_capacity != 1:
            raise Invalid("mentor_capacity", "a one-to-one programme has a mentor capacity of 1")
        if self.enrollment_opens and self.enrollment_closes and self.enrollment_closes < self.enrollment_opens:
            raise Invalid("enrollment_closes", "is before enrollment_opens")
        if self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days < \
                (self.sessions_per_pair - 1) * self.cadence_days:
            raise Invalid("ends_on", f"too early: {self.sessions_per_pair} sessions {self.cadence_days} days apart "
                          "need more days from starts_on")
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
    region: str | None = None
    goals: str | None = None
    consents: tuple[str, ...] = ()
    status: Literal["enrolled", "withdrawn", "erased"] = "enrolled"
    withdrawal_reason: str | None = None
    # The manager's participant id (allocated when first named, even if the manager never enrolls),
    # so matching keeps reporting lines apart without any employee id leaving this service.
    manager_participant_id: UUID | None = None
    # The key this person's attributes are sealed under in events; destroyed by an erasure.
    data_key: str | None = None
    version: int = 0

    def changes_from(self, newer: "Participant") -> list[str]:
        """Names of the enrollment fields a re-send changes (identity and lifecycle excluded)."""
        fixed = {"participant_id", "programme_id", "employee_id", "status", "withdrawal_reason", "data_key",
                 "version"}
        return [f.name for f in fields(self) if f.name not in fixed and getattr(self, f.name) != getattr(newer, f.name)]

    def apply(self, newer: "Participant", changed: list[str]) -> None:
        if self.status != "enrolled":
            raise Conflict("employee_id", f"this participant is {self.status}; enroll them in a new programme")
        for name in changed:
            setattr(self, name, getattr(newer, name))

    def erase(self) -> None:
        """Right to be forgotten: nothing that identifies the person stays; the record is a tombstone."""
        if self.status == "erased":
            raise Conflict("participant_id", "already erased")
        self.status = "erased"

    def withdraw(self, reason: str) -> bool:
        """False when already withdrawn for the same reason (an idempotent re-send)."""
        if self.status == "withdrawn":
            if self.withdrawal_reason != reason:
                raise Conflict("reason", f"already withdrawn ({self.withdrawal_reason})")
            return False
        self.status = "withdrawn"
        self.withdrawal_reason = reason
        return True


def identity_key(value: str) -> str:
    """Employee ids and e-mails are compared without regard to letter case (HR systems disagree on it)."""
    return value.strip().casefold()


CONSENTS = ("programme_participation", "share_progress_with_manager", "contact_by_email")


def check_participant(p: Participant, programme: Programme, curriculum: Curriculum) -> None:
    if "programme_participation" not in p.consents:
        raise Invalid("consents", "consent to 'programme_participation' is required to enroll")
    unknown = [c for c in p.consents if c not in CONSENTS]
    if unknown:
        raise Invalid("consents", f"unknown consent(s) {unknown}; known: {list(CONSENTS)}")
    if p.country not in programme.countries:
        raise Invalid("country", f"{p.country!r} is not one of the programme's countries {programme.countries}")
    _codes("languages", p.languages, language_codes())
    outside = [lang for lang in p.languages if lang not in programme.languages]
    if outside:
        raise Invalid("languages", f"{outside} not among the programme's languages {programme.languages}")
    if p.time_zone not in time_zones():
        raise Invalid("time_zone", f"{p.time_zone!r} is not an IANA time zone")
    if p.region is not None and p.region not in subdivision_codes(p.country):
        raise Invalid("region", f"{p.region!r} is not an ISO 3166-2 subdivision of {p.country}")
    check_availability(p.availability)
    if p.manager_employee_id and identity_key(p.manager_employee_id) == identity_key(p.employee_id):
        raise Invalid("manager_employee_id", "a participant cannot be their own manager")
    topics = [s.topic for s in p.skills]
    known = curriculum.topic_codes
    for i, topic in enumerate(topics):
        if topic not in known:
            raise Invalid(f"skills.{i}.topic",
                          f"unknown topic {topic!r} in curriculum {curriculum.version}; known: {sorted(known)}")
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
