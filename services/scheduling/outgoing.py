"""Domain changes -> the events scheduling publishes."""

from datetime import datetime
from typing import Any
from uuid import UUID

from scheduling.domain.model import Session, Timing
from scheduling.domain.pair import PairSchedule
from shared.contracts import (
    PairAtRisk,
    PairClosedInactive,
    PairCompleted,
    PairUnschedulable,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionReminderDue,
    SessionRescheduled,
    SessionScheduled,
)


def _ids(pair: PairSchedule, flow: dict[str, Any]) -> dict[str, Any]:
    return {"pair_id": pair.pair_id, "programme_id": pair.programme_id, "mentor_id": pair.mentor.participant_id,
            "mentee_id": pair.mentee.participant_id, **flow}


def scheduled(pair: PairSchedule, sessions: list[Session], **flow: Any) -> list[SessionScheduled]:
    return [SessionScheduled(session_id=s.session_id, sequence=s.sequence, module=s.module, starts_at=s.starts_at,
                             duration_minutes=s.duration_minutes, group_id=pair.group_id(s), **_ids(pair, flow))
            for s in sessions]


def unschedulable(pair: PairSchedule, **flow: Any) -> list[PairUnschedulable]:
    if pair.status != "unschedulable" or not pair.unschedulable_reason:
        return []
    head, _, rest = pair.unschedulable_reason.partition(": ")
    planned = sum(1 for s in pair.sessions if s.status in ("scheduled", "completed"))
    return [PairUnschedulable(country=pair.country, reason_code=rest.split(":")[0],
                              module=int(head.removeprefix("session ")), sessions_planned=planned,
                              sessions_to_plan=len(pair.pending), **_ids(pair, flow))]


def rescheduled(pair: PairSchedule, moved: list[tuple[Session, datetime]], **flow: Any) -> list[SessionRescheduled]:
    return [SessionRescheduled(session_id=s.session_id, sequence=s.sequence, module=s.module,
                               previous_starts_at=before, starts_at=s.starts_at,
                               duration_minutes=s.duration_minutes, **_ids(pair, flow)) for s, before in moved]


def cancelled(pair: PairSchedule, sessions: list[Session], reason: str, **flow: Any) -> list[SessionCancelled]:
    return [SessionCancelled(session_id=s.session_id, sequence=s.sequence, module=s.module, starts_at=s.starts_at,
                             reason=reason, **_ids(pair, flow)) for s in sessions]


def completed(pair: PairSchedule, s: Session, **flow: Any) -> SessionCompleted:
    assert s.completed_at is not None and s.actual_minutes is not None
    return SessionCompleted(session_id=s.session_id, country=pair.country, sequence=s.sequence,
                            completed_at=s.completed_at, actual_minutes=s.actual_minutes,
                            modules_covered=s.modules_covered, **_ids(pair, flow))


def pair_completed(pair: PairSchedule, at: datetime, **flow: Any) -> PairCompleted:
    done = sum(1 for s in pair.sessions if s.status == "completed")
    return PairCompleted(country=pair.country, sessions_completed=done, completed_at=at, **_ids(pair, flow))


def missed(pair: PairSchedule, s: Session, **flow: Any) -> SessionMissed:
    return SessionMissed(session_id=s.session_id, country=pair.country, sequence=s.sequence, module=s.module,
                         starts_at=s.starts_at, **_ids(pair, flow))


def reminders(pair: PairSchedule, sessions: list[Session], **flow: Any) -> list[SessionReminderDue]:
    return [SessionReminderDue(session_id=s.session_id, sequence=s.sequence, starts_at=s.starts_at,
                               duration_minutes=s.duration_minutes, **_ids(pair, flow)) for s in sessions]


def at_risk(pair: PairSchedule, timing: Timing, **flow: Any) -> PairAtRisk:
    assert pair.at_risk_since is not None
    return PairAtRisk(country=pair.country, last_activity_at=pair.last_activity_at or pair.not_before,
                      closes_at=pair.at_risk_since + timing.warning_period, **_ids(pair, flow))


def closed(pair: PairSchedule, cancelled_count: int, **flow: Any) -> PairClosedInactive:
    return PairClosedInactive(country=pair.country, sessions_cancelled=cancelled_count, **_ids(pair, flow))


def flow(correlation_id: UUID, causation_id: UUID | None = None) -> dict[str, Any]:
    return {"correlation_id": correlation_id, "causation_id": causation_id}
