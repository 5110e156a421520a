"""A pair's reminders and inactivity, checked at an instant the caller's clock gives."""

from datetime import datetime

from scheduling.domain.model import ACTIVE_PAIR, Session, Timing
from scheduling.domain.pair import PairSchedule


def due_reminders(pair: PairSchedule, now: datetime, timing: Timing) -> list[Session]:
    due = [s for s in pair.sessions if s.status == "scheduled" and not s.reminded
           and s.starts_at - timing.reminder_before <= now < s.starts_at]
    for s in due:
        s.reminded = True
    return due


def check_inactivity(pair: PairSchedule, now: datetime, timing: Timing) -> str | None:
    """`at_risk` when no session was completed for `inactive_after`, "closed" after the warning."""
    if pair.status not in ACTIVE_PAIR:
        return None
    quiet_since = pair.last_activity_at or pair.not_before
    if pair.at_risk_since is None and now - quiet_since >= timing.inactive_after:
        pair.at_risk_since = now
        return "at_risk"
    if pair.at_risk_since is not None and now - pair.at_risk_since >= timing.warning_period:
        pair.cancel_future(now, "closed_inactive", "closed_inactive")
        return "closed"
    return None


def next_check_at(pair: PairSchedule, timing: Timing, now: datetime) -> datetime | None:
    """The first instant a tick could find something to do for the pair (a reminder, an inactivity
    step, or pending sessions to place), or None when nothing is ahead: what the ticker's agenda
    files it under."""
    if pair.status == "partially_planned":
        return now  # calendars may free up at any time: every tick retries until the deadline
    instants = [s.starts_at - timing.reminder_before for s in pair.sessions
                if s.status == "scheduled" and not s.reminded and s.starts_at > now]
    if pair.status in ACTIVE_PAIR:
        if pair.at_risk_since is None:
            instants.append((pair.last_activity_at or pair.not_before) + timing.inactive_after)
        else:
            instants.append(pair.at_risk_since + timing.warning_period)
    return min(instants, default=None)
