"""The value objects of a pair's series; `pair.py` holds the aggregate.

Module order: ProgrammeLaunched carries no module list (only `curriculum_version`), so the
programme's modules are its session sequence: the plan's k-th module is covered by the k-th
active session, and a replacement session takes over the module of the one it replaces.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal, Protocol
from uuid import UUID

from scheduling.domain.availability import WeeklyAvailability
from shared.availability import CalendarRules, Profile, ProgrammeCalendar, programme_calendar

SessionStatus = Literal["scheduled", "completed", "missed", "cancelled"]
PairStatus = Literal["awaiting_programme", "planned", "partially_planned", "unschedulable", "completed",
                     "dissolved", "closed_inactive"]
ACTIVE_PAIR = ("planned", "partially_planned", "unschedulable")


@dataclass(frozen=True)
class SessionPlan:
    sessions_per_pair: int = 6
    session_minutes: int = 60
    cadence_days: int = 14
    format: str = "one_to_one"
    mentor_capacity: int = 1
    curriculum_version: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    grid_minutes: int = 15
    weekend_days: tuple[int, ...] = (5, 6)
    holidays: str = "national_and_regional"
    planning_deadline_days: int = 28

    def calendar(self, not_before: datetime) -> ProgrammeCalendar:
        """The programme's calendar; without dates (an old event) it runs from the pair's creation."""
        return programme_calendar(not_before.date(), self.sessions_per_pair, self.session_minutes, self.cadence_days,
                                  self.starts_on or not_before.date(), self.ends_on, self.grid_minutes,
                                  self.weekend_days, self.holidays)  # type: ignore[arg-type]

    @property
    def rules(self) -> CalendarRules:
        return CalendarRules(self.grid_minutes, self.weekend_days, self.holidays)  # type: ignore[arg-type]


@dataclass
class Session:
    session_id: UUID
    sequence: int
    starts_at: datetime
    duration_minutes: int
    status: SessionStatus = "scheduled"
    completed_at: datetime | None = None
    actual_minutes: int | None = None
    module: int = 0
    modules_covered: list[int] = field(default_factory=list)
    reminded: bool = False
    cancel_reason: str | None = None
    # Set when the session is one meeting of a mentor with several mentees (format "group"):
    # every pair's session with the same key and start is the same meeting.
    group_key: str | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


@dataclass
class Member:
    participant_id: UUID
    country: str
    availability: WeeklyAvailability
    region: str | None = None

    @property
    def profile(self) -> Profile:
        return self.availability.profile(self.country, self.region)


@dataclass
class PendingSession:
    """A session of the series not placed yet: its module, the mentee-local date the cadence gives
    it (None until any session is placed), and why it could not be placed."""

    module: int
    ordinal: int | None
    reason: str


@dataclass(frozen=True)
class Timing:
    """When reminders go out and when a quiet pair is flagged, then closed."""

    reminder_before: timedelta = timedelta(hours=24)
    inactive_after: timedelta = timedelta(days=30)
    warning_period: timedelta = timedelta(days=14)


class SlotFinder(Protocol):
    """Where the pair can meet, given both members' availability, working days and other bookings."""

    def first(self, earliest: datetime, minutes: int, exact: bool = False) -> datetime | None: ...
    def options(self, not_before: datetime, with_bookings: bool = True) -> dict[int, int]: ...
    def shared_on(self, group_key: str, ordinal: int, not_before: datetime) -> datetime | None: ...
    def why_not_on(self, ordinal: int, not_before: datetime) -> str: ...
    def why_not(self, earliest: datetime, minutes: int) -> str: ...
    def programme_start(self, ordinal: int) -> int: ...


class SessionNotFound(Exception):
    pass


class AlreadyCompletedDifferently(Exception):
    pass


class SessionChangeRefused(Exception):
    """A change the series' rules forbid; `field` names what to fix."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason
