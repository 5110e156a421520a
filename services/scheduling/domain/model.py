"""The value objects of a pair's series; `pair.py` holds the aggregate.

Module order: ProgrammeLaunched carries no module list (only `curriculum_version`), so the
programme's modules are its session sequence: the plan's k-th module is covered by the k-th
active session, and a replacement session takes over the module of the one it replaces.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, Protocol
from uuid import UUID

from scheduling.domain.availability import WeeklyAvailability

SessionStatus = Literal["scheduled", "completed", "missed", "cancelled"]
PairStatus = Literal["awaiting_programme", "planned", "unschedulable", "completed", "dissolved", "closed_inactive"]
ACTIVE_PAIR = ("planned", "unschedulable")


@dataclass(frozen=True)
class SessionPlan:
    sessions_per_pair: int = 6
    session_minutes: int = 60
    cadence_days: int = 14
    format: str = "one_to_one"
    mentor_capacity: int = 1
    curriculum_version: str | None = None


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


@dataclass(frozen=True)
class Timing:
    """When reminders go out and when a quiet pair is flagged, then closed."""

    reminder_before: timedelta = timedelta(hours=24)
    inactive_after: timedelta = timedelta(days=30)
    warning_period: timedelta = timedelta(days=14)


class SlotFinder(Protocol):
    """Where the pair can meet, given both members' availability, working days and other bookings."""

    def first(self, earliest: datetime, minutes: int, exact: bool = False) -> datetime | None: ...
    def shared(self, group_key: str, earliest: datetime, minutes: int) -> datetime | None: ...
    def why_not(self, earliest: datetime, minutes: int) -> str: ...


class SessionNotFound(Exception):
    pass


class AlreadyCompletedDifferently(Exception):
    pass


class SessionChangeRefused(Exception):
    """A change the series' rules forbid; `field` names what to fix."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason
