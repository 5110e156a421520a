"""A pair's series of sessions: planning, changes, completion, inactivity."""

from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid5

from scheduling.domain.model import (
    ACTIVE_PAIR,
    AlreadyCompletedDifferently,
    Member,
    PairStatus,
    PendingSession,
    Session,
    SessionChangeRefused,
    SessionNotFound,
    SessionPlan,
    SlotFinder,
)
from scheduling.domain.series import place_series
from shared.availability import day_start, local_ordinal


@dataclass
class PairSchedule:
    pair_id: UUID
    programme_id: UUID
    country: str
    mentor: Member
    mentee: Member
    not_before: datetime
    status: PairStatus = "awaiting_programme"
    unschedulable_reason: str | None = None
    sessions: list[Session] = field(default_factory=list)
    plan_used: SessionPlan | None = None
    last_activity_at: datetime | None = None
    at_risk_since: datetime | None = None
    pending: list[PendingSession] = field(default_factory=list)
    version: int = 0

    @property
    def members(self) -> tuple[Member, Member]:
        return self.mentor, self.mentee

    def session(self, session_id: UUID) -> Session:
        found = next((s for s in self.sessions if s.session_id == session_id), None)
        if found is None:
            raise SessionNotFound(session_id)
        return found

    def active(self) -> list[Session]:
        return sorted((s for s in self.sessions if s.status != "cancelled"), key=lambda s: s.module)

    @property
    def deadline(self) -> datetime | None:
        """Until when sessions not placed yet are retried; then the pair is unschedulable."""
        return self.not_before + timedelta(days=self.plan_used.planning_deadline_days) if self.plan_used else None

    def plan(self, plan: SessionPlan, find: SlotFinder) -> list[Session]:
        """Plans the series on the mentee-local dates first + k * cadence_days: every session that
        can be placed is; the others stay pending with their reason (retried by `retry`)."""
        self.plan_used = plan
        self.sessions, self.pending = [], []
        placed = self._place(list(range(1, plan.sessions_per_pair + 1)), find, self.not_before, None)
        cal = plan.calendar(self.not_before)
        start = datetime.fromtimestamp(find.programme_start(cal.first), UTC)
        self.last_activity_at = self.last_activity_at or max(self.not_before, start)  # quiet before it starts
        self.settle(self.not_before)
        return placed

    def retry(self, find: SlotFinder, now: datetime) -> list[Session]:
        """Places pending sessions that fit now (on their cadence date; anywhere when none is placed)."""
        if self.status != "partially_planned" or not self.pending:
            return []
        waiting, self.pending = self.pending, []
        dates = {p.module: p.ordinal for p in waiting if p.ordinal is not None}
        placed = self._place([p.module for p in waiting], find, max(now, self.not_before),
                             dates if len(dates) == len(waiting) else None)
        self.settle(now)
        return placed

    def rearranged(self, find: SlotFinder, now: datetime) -> "PairSchedule | None":
        """While none of its sessions has taken place, a partly planned pair may move as a whole:
        a copy re-planned from `now`, returned only if it places every session."""
        if self.status != "partially_planned" or any(s.starts_at <= now for s in self.active()):
            return None
        trial = deepcopy(self)
        trial.replan_future(find, now)
        return trial if not trial.pending else None

    def settle(self, now: datetime) -> bool:
        """The pair's status from its pending sessions; True when it turned unschedulable now."""
        if self.status not in ("awaiting_programme", *ACTIVE_PAIR):
            return False
        if not self.pending:
            self.status, self.unschedulable_reason = "planned", None
            return False
        first = self.pending[0]
        self.unschedulable_reason = f"session {first.module}: {first.reason}"
        if self.deadline is not None and now >= self.deadline and self.status != "unschedulable":
            self.status = "unschedulable"
            return True
        if self.status != "unschedulable":
            self.status = "partially_planned"
        return False

    def replan_future(self, find: SlotFinder, now: datetime) -> tuple[list[Session], list[tuple[Session, datetime]],
                                                                      list[Session]]:
        """After a member's availability changed: the sessions still ahead (and pending ones) are
        planned again as a series from now on. Returns (new, moved with previous start, cancelled)."""
        assert self.plan_used is not None
        ahead = {s.module: s for s in self.sessions if s.status == "scheduled" and s.starts_at > now}
        modules = sorted(set(ahead) | {p.module for p in self.pending})
        if not modules or self.status not in ACTIVE_PAIR:
            return [], [], []
        held = [s.starts_at for s in self.active() if s.module not in ahead]
        gap = timedelta(days=self.plan_used.cadence_days)
        not_before = max([now, self.not_before, *(t + gap for t in held)])
        for s in ahead.values():
            s.status = "cancelled"  # out of the way while the series is placed again
        self.pending = []
        placed = self._place(modules, find, not_before, None)
        new, moved = [], []
        for s in placed:
            old = ahead.pop(s.module, None)
            if old is None:
                new.append(s)
                continue
            self.sessions.remove(s)
            previous = old.starts_at
            old.status, old.starts_at, old.reminded, old.group_key = "scheduled", s.starts_at, False, s.group_key
            if previous != old.starts_at:
                moved.append((old, previous))
        for old in ahead.values():
            old.cancel_reason = "no_slot_left"
        self.settle(now)
        return new, moved, list(ahead.values())

    def _place(self, modules: list[int], find: SlotFinder, not_before: datetime,
               dates: dict[int, int] | None) -> list[Session]:
        assert self.plan_used is not None
        plan, placed = self.plan_used, []
        for module, start, group_key, pending in place_series(self, plan, find, modules, not_before, dates):
            if pending is not None:
                self.pending.append(pending)
                continue
            taken = {s.sequence for s in self.sessions}
            sequence = module if module not in taken else max(taken) + 1
            session = Session(self._session_id(sequence), sequence, start, plan.session_minutes, module=module,
                              group_key=group_key)
            self.sessions.append(session)
            placed.append(session)
        return placed

    def group_id(self, s: Session) -> UUID | None:
        """The same for every pair's session of one group meeting (same mentor, module and start)."""
        if s.group_key is None:
            return None
        return uuid5(self.programme_id, f"group:{s.group_key}:{s.starts_at.isoformat()}")

    def _session_id(self, sequence: int) -> UUID:
        return uuid5(self.pair_id, f"session:{sequence}")

    def _open(self, session_id: UUID) -> Session:
        s = self.session(session_id)
        if self.status not in ACTIVE_PAIR:
            raise SessionChangeRefused("session_id", f"the pair is {self.status}")
        if s.status != "scheduled":
            raise SessionChangeRefused("session_id", f"session is {s.status}")
        return s

    def reschedule(self, session_id: UUID, new_start: datetime, now: datetime,
                   find: SlotFinder) -> list[tuple[Session, datetime]]:
        """Moves one session; later ones move too when they would come too soon after it.
        Returns (session, previous start) for every session that moved."""
        s = self._open(session_id)
        if s.starts_at == new_start:
            return []
        if new_start <= now:
            raise SessionChangeRefused("starts_at", "must be in the future")
        before = [o for o in self.active() if o.module < s.module]
        if before and new_start <= before[-1].starts_at:
            raise SessionChangeRefused("starts_at", f"must come after session for module {before[-1].module}")
        if find.first(new_start, s.duration_minutes, exact=True) is None:
            raise SessionChangeRefused("starts_at", "not a free 30-minute step inside both members' availability "
                                       "on a working day of their countries")
        moved = [(s, s.starts_at)]
        s.starts_at, s.reminded = new_start, False
        return moved + self._replan_after(s, find)

    def cancel(self, session_id: UUID, reason: str, now: datetime, replan: bool,
               find: SlotFinder) -> tuple[Session, Session | None, list[tuple[Session, datetime]]]:
        """Cancels one session; with `replan`, a replacement covers its module and the rest follows."""
        s = self._open(session_id)
        s.status, s.cancel_reason = "cancelled", reason
        if not replan:
            return s, None, []
        start = find.first(max(now, s.ends_at), s.duration_minutes)
        if start is None:
            return s, None, []
        replacement = Session(self._session_id(max(x.sequence for x in self.sessions) + 1),
                              max(x.sequence for x in self.sessions) + 1, start, s.duration_minutes, module=s.module)
        self.sessions.append(replacement)
        return s, replacement, self._replan_after(replacement, find)

    def _cadence_after(self, previous: Session) -> datetime:
        """The start of the mentee-local date `cadence_days` after the previous session's."""
        assert self.plan_used is not None
        zone = self.mentee.availability.time_zone
        day = local_ordinal(zone, int(previous.starts_at.timestamp())) + self.plan_used.cadence_days
        return datetime.fromtimestamp(day_start(zone, day), UTC)

    def _replan_after(self, anchor: Session, find: SlotFinder) -> list[tuple[Session, datetime]]:
        """Later sessions now less than `cadence_days` (mentee-local days) after the moved one follow."""
        moved, previous = [], anchor
        for later in [o for o in self.active() if o.module > anchor.module and o.status == "scheduled"]:
            earliest = self._cadence_after(previous)
            if later.starts_at >= earliest:
                break
            start = find.first(earliest, later.duration_minutes)
            if start is None:
                later.status, later.cancel_reason = "cancelled", find.why_not(earliest, later.duration_minutes)
                continue
            moved.append((later, later.starts_at))
            later.starts_at, later.reminded, previous = start, False, later
        return moved

    def complete(self, session_id: UUID, completed_at: datetime, actual_minutes: int,
                 modules: list[int] | None = None) -> bool:
        """Returns False when the same completion was already recorded (an idempotent re-send)."""
        session = self.session(session_id)
        if session.status == "completed":
            if session.actual_minutes != actual_minutes:
                raise AlreadyCompletedDifferently(session_id)
            return False
        if session.status == "cancelled":
            raise SessionChangeRefused("session_id", "session was cancelled")
        session.status, session.completed_at, session.actual_minutes = "completed", completed_at, actual_minutes
        session.modules_covered = sorted(set(modules or [session.module]))
        self.last_activity_at, self.at_risk_since = max(completed_at, self.last_activity_at or completed_at), None
        if self.status == "unschedulable":
            self.status = "planned"
        return True

    def miss(self, session_id: UUID) -> bool:
        session = self.session(session_id)
        if session.status == "missed":
            return False
        if session.status != "scheduled":
            raise SessionChangeRefused("session_id", f"session is {session.status}")
        session.status = "missed"
        return True

    def finish_if_done(self) -> bool:
        """True once, when every module of the plan has been covered by completed sessions."""
        if self.status not in ACTIVE_PAIR or self.plan_used is None:
            return False
        covered = {m for s in self.sessions if s.status == "completed" for m in s.modules_covered}
        if not covered >= set(range(1, self.plan_used.sessions_per_pair + 1)):
            return False
        self.status = "completed"
        return True

    def cancel_future(self, now: datetime, reason: str, status: PairStatus | None = None) -> list[Session]:
        cancelled = [s for s in self.sessions if s.status == "scheduled" and s.starts_at > now]
        for s in cancelled:
            s.status, s.cancel_reason = "cancelled", reason
        if status is not None:
            self.status = status
        return cancelled
