"""Domain objects <-> MongoDB documents (`_id` is the aggregate id)."""

from typing import Any
from uuid import UUID

from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.model import Member, PairSchedule, Session, SessionPlan


def _member_to_doc(m: Member) -> dict[str, Any]:
    return {
        "participant_id": str(m.participant_id),
        "country": m.country,
        "time_zone": m.availability.time_zone,
        "availability": [{"weekday": s.weekday, "start": s.start, "end": s.end} for s in m.availability.slots],
    }


def _member_from_doc(d: dict[str, Any]) -> Member:
    slots = tuple(Slot(s["weekday"], s["start"], s["end"]) for s in d["availability"])
    return Member(UUID(d["participant_id"]), d["country"], WeeklyAvailability(d["time_zone"], slots))


def _session_to_doc(s: Session) -> dict[str, Any]:
    return {
        "session_id": str(s.session_id),
        "sequence": s.sequence,
        "starts_at": s.starts_at,
        "duration_minutes": s.duration_minutes,
        "status": s.status,
        "completed_at": s.completed_at,
        "actual_minutes": s.actual_minutes,
    }


def _session_from_doc(d: dict[str, Any]) -> Session:
    return Session(
        session_id=UUID(d["session_id"]),
        sequence=d["sequence"],
        starts_at=d["starts_at"],
        duration_minutes=d["duration_minutes"],
        status=d["status"],
        completed_at=d.get("completed_at"),
        actual_minutes=d.get("actual_minutes"),
    )


def pair_to_doc(p: PairSchedule) -> dict[str, Any]:
    return {
        "_id": str(p.pair_id),
        "programme_id": str(p.programme_id),
        "country": p.country,
        "mentor": _member_to_doc(p.mentor),
        "mentee": _member_to_doc(p.mentee),
        "not_before": p.not_before,
        "status": p.status,
        "unschedulable_reason": p.unschedulable_reason,
        "sessions": [_session_to_doc(s) for s in p.sessions],
        "session_ids": [str(s.session_id) for s in p.sessions],
    }


def pair_from_doc(d: dict[str, Any]) -> PairSchedule:
    return PairSchedule(
        pair_id=UUID(d["_id"]),
        programme_id=UUID(d["programme_id"]),
        country=d["country"],
        mentor=_member_from_doc(d["mentor"]),
        mentee=_member_from_doc(d["mentee"]),
        not_before=d["not_before"],
        status=d["status"],
        unschedulable_reason=d.get("unschedulable_reason"),
        sessions=[_session_from_doc(s) for s in d["sessions"]],
        version=d["version"],
    )


def plan_to_doc(programme_id: UUID, p: SessionPlan) -> dict[str, Any]:
    return {
        "_id": str(programme_id),
        "sessions_per_pair": p.sessions_per_pair,
        "session_minutes": p.session_minutes,
        "cadence_days": p.cadence_days,
    }


def plan_from_doc(d: dict[str, Any]) -> SessionPlan:
    return SessionPlan(d["sessions_per_pair"], d["session_minutes"], d["cadence_days"])
