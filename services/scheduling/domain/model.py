"""A pair's series of sessions, planned inside both members' availability (foundation rules).

Holidays, double-booking across pairs, group formats and re-planning are the scheduling issue's.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID, uuid5

from scheduling.domain.availability import WeeklyAvailability

STEP = timedelta(minutes=30)
SEARCH_HORIZON = timedelta(days=28)


@dataclass(frozen=True)
class SessionPlan:
    sessions_per_pair: int = 6
    session_minutes: int = 60
    cadence_days: int = 14


@dataclass
class Session:
    session_id: UUID
    sequence: int
    starts_at: datetime
    duration_minutes: int
    status: Literal["scheduled", "completed"] = "scheduled"
    completed_at: datetime | None = None
    actual_minutes: int | None = None


@dataclass
class Member:
    participant_id: UUID
    country: str
    availability: WeeklyAvailability


class SessionNotFound(Exception):
    pass


class AlreadyCompletedDifferently(Exception):
    pass


@dataclass
class PairSchedule:
    pair_id: UUID
    programme_id: UUID
    country: str
    mentor: Member
    mentee: Member
    not_before: datetime
    status: Literal["awaiting_programme", "planned", "unschedulable"] = "awaiting_programme"
    unschedulable_reason: str | None = None
    sessions: list[Session] = field(default_factory=list)
    version: int = 0

    def plan(self, plan: SessionPlan) -> list[Session]:
        """Plans the whole series; each session at the first instant both members are free."""
        sessions: list[Session] = []
        earliest = _round_up(self.not_before)
        for sequence in range(1, plan.sessions_per_pair + 1):
            start = self._first_common_slot(earliest, plan.session_minutes)
            if start is None:
                self.status = "unschedulable"
                self.unschedulable_reason = (
                    f"no {plan.session_minutes}-minute slot where both members are available "
                    f"within {SEARCH_HORIZON.days} days of {earliest:%Y-%m-%d} (session {sequence})"
                )
                self.sessions = []
                return []
            sessions.append(Session(uuid5(self.pair_id, f"session:{sequence}"), sequence, start, plan.session_minutes))
            earliest = start + timedelta(days=plan.cadence_days)
        self.sessions = sessions
        self.status = "planned"
        return sessions

    def _first_common_slot(self, earliest: datetime, minutes: int) -> datetime | None:
        t = earliest
        while t < earliest + SEARCH_HORIZON:
            if self.mentor.availability.allows(t, minutes) and self.mentee.availability.allows(t, minutes):
                return t
            t += STEP
        return None

    def complete(self, session_id: UUID, completed_at: datetime, actual_minutes: int) -> bool:
        """Returns False when the same completion was already recorded (an idempotent re-send)."""
        session = next((s for s in self.sessions if s.session_id == session_id), None)
        if session is None:
            raise SessionNotFound(session_id)
        if session.status == "completed":
            if session.actual_minutes != actual_minutes:
                raise AlreadyCompletedDifferently(session_id)
            return False
        session.status = "completed"
        session.completed_at = completed_at
        session.actual_minutes = actual_minutes
        return True


def _round_up(t: datetime) -> datetime:
    t = t.astimezone(UTC).replace(second=0, microsecond=0)
    extra = t.minute % 30
    return t + timedelta(minutes=(30 - extra) % 30)
