"""What the availability model is about: a person's weekly local slots in their zone and place,
and the programme's calendar (its dates, session series and the grid/weekend/holiday rules)."""

from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

HolidayRule = Literal["national_and_regional", "national", "none"]


class Slot(NamedTuple):
    """A weekly window in local wall-clock minutes (weekday 0 = Monday, end may be 1440)."""

    weekday: int
    start: int
    end: int

    @classmethod
    def of(cls, weekday: int, start: str, end: str) -> "Slot":
        return cls(weekday, minutes(start), minutes(end))


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


@dataclass(frozen=True)
class Profile:
    """Everything that decides when a person can meet; people with equal profiles are one group."""

    time_zone: str
    country: str
    region: str | None  # ISO 3166-2, e.g. "DE-BY"
    slots: tuple[Slot, ...]

    def by_weekday(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        return tuple(tuple(sorted((s.start, s.end) for s in self.slots if s.weekday == d)) for d in range(7))


@dataclass(frozen=True)
class CalendarRules:
    """The programme's one setting for both services: where sessions may start (every `grid_minutes`
    of UTC; every zone offset in use is a multiple of 15 minutes, so the default 15 puts each local
    quarter-hour on the grid), which local weekdays are the weekend, and which holidays count."""

    grid_minutes: int = 15
    weekend_days: tuple[int, ...] = (5, 6)
    holidays: HolidayRule = "national_and_regional"


@dataclass(frozen=True)
class ProgrammeCalendar:
    """A programme's series: `sessions` sessions of `session_minutes`, `cadence_days` local days
    apart (in the mentee's zone), every session's local date within [starts_on, ends_on]."""

    starts_on: date
    ends_on: date
    sessions: int = 6
    session_minutes: int = 60
    cadence_days: int = 14
    rules: CalendarRules = CalendarRules()

    @property
    def first(self) -> int:
        return self.starts_on.toordinal()

    @property
    def last(self) -> int:
        return self.ends_on.toordinal()

    @property
    def span_days(self) -> int:
        """Local days a whole series covers from its first session to its last."""
        return (self.sessions - 1) * self.cadence_days
