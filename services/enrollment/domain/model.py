"""Programmes and the participants enrolled in them."""

from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from enrollment.domain.errors import Invalid
from enrollment.domain.reference_data import country_codes, language_codes, time_zones

Role = Literal["mentor", "mentee", "both"]


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
    version: int = 0

    @staticmethod
    def id_for(code: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"binome:programme:{code}")

    def check(self) -> None:
        _codes("countries", self.countries, country_codes())
        _codes("languages", self.languages, language_codes())


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
    status: str = "enrolled"
    version: int = 0

    @staticmethod
    def id_for(programme_id: UUID, employee_id: str) -> UUID:
        # Deterministic, so re-sending the same person finds the existing enrollment.
        return uuid5(programme_id, f"employee:{employee_id}")

    def same_enrollment_as(self, other: "Participant") -> bool:
        return replace(self, version=0, status="") == replace(other, version=0, status="")


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
