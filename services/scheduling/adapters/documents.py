"""Domain objects <-> MongoDB documents (`_id` is the aggregate id)."""

from dataclasses import asdict, fields
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.cafe import Cafe
from scheduling.domain.model import Member, PendingSession, Session, SessionPlan
from scheduling.domain.pair import PairSchedule
from scheduling.domain.participant_calendar import Booking, ParticipantCalendar


def _utc(t: datetime | None) -> datetime | None:
    # The driver hands back naive datetimes that are UTC.
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def _member_to_doc(m: Member) -> dict[str, Any]:
    return {
        "participant_id": str(m.participant_id),
        "country": m.country,
        "time_zone": m.availability.time_zone,
        "availability": [{"weekday": s.weekday, "start": s.start, "end": s.end} for s in m.availability.slots],
        "region": m.region,
    }


def _member_from_doc(d: dict[str, Any]) -> Member:
    slots = tuple(Slot(s["weekday"], s["start"], s["end"]) for s in d["availability"])
    return Member(UUID(d["participant_id"]), d["country"], WeeklyAvailability(d["time_zone"], slots), d.get("region"))


_SESSION_FIELDS = tuple(f.name for f in fields(Session))


def _session_to_doc(s: Session) -> dict[str, Any]:
    # Not `asdict`: it deep-copies every value, and a pair's document is rewritten with all its sessions
    # at every change; the one mutable field is copied here.
    doc = {name: getattr(s, name) for name in _SESSION_FIELDS}
    return {**doc, "session_id": str(s.session_id), "modules_covered": list(s.modules_covered)}


def _session_from_doc(d: dict[str, Any]) -> Session:
    return Session(**{**d, "session_id": UUID(d["session_id"]), "starts_at": _utc(d["starts_at"]),
                      "completed_at": _utc(d.get("completed_at"))})


def _plan(p: SessionPlan) -> dict[str, Any]:
    # Dates as ISO text (BSON has no date-only type), the weekend as a list.
    return {**asdict(p), "starts_on": p.starts_on.isoformat() if p.starts_on else None,
            "ends_on": p.ends_on.isoformat() if p.ends_on else None, "weekend_days": list(p.weekend_days)}


def _plan_from(d: dict[str, Any]) -> SessionPlan:
    values = {k: v for k, v in d.items() if k != "_id"}
    for name in ("starts_on", "ends_on"):
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    values["weekend_days"] = tuple(values.get("weekend_days", (5, 6)))
    return SessionPlan(**values)


def plan_to_doc(programme_id: UUID, p: SessionPlan) -> dict[str, Any]:
    return {"_id": str(programme_id), **_plan(p)}


def plan_from_doc(d: dict[str, Any]) -> SessionPlan:
    return _plan_from(d)


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
        # Flat arrays beside the nested ones so look-ups need no nested-path query.
        "session_ids": [str(s.session_id) for s in p.sessions],
        "member_ids": [str(m.participant_id) for m in p.members],
        "plan_used": _plan(p.plan_used) if p.plan_used else None,
        "pending": [asdict(x) for x in p.pending],
        "last_activity_at": p.last_activity_at,
        "at_risk_since": p.at_risk_since,
    }


def pair_from_doc(d: dict[str, Any]) -> PairSchedule:
    return PairSchedule(
        pair_id=UUID(d["_id"]),
        programme_id=UUID(d["programme_id"]),
        country=d["country"],
        mentor=_member_from_doc(d["mentor"]),
        mentee=_member_from_doc(d["mentee"]),
        not_before=_utc(d["not_before"]),
        status=d["status"],
        unschedulable_reason=d.get("unschedulable_reason"),
        sessions=[_session_from_doc(s) for s in d["sessions"]],
        plan_used=_plan_from(d["plan_used"]) if d.get("plan_used") else None,
        pending=[PendingSession(**x) for x in d.get("pending", [])],
        last_activity_at=_utc(d.get("last_activity_at")),
        at_risk_since=_utc(d.get("at_risk_since")),
        version=d["version"],
    )


def calendar_to_doc(c: ParticipantCalendar) -> dict[str, Any]:
    return {
        "_id": str(c.participant_id),
        "bookings": [{"session_id": str(b.session_id), "owner_id": str(b.owner_id), "starts_at": b.starts_at,
                      "ends_at": b.ends_at, "group_key": b.group_key} for b in c.bookings],
    }


def calendar_from_doc(d: dict[str, Any]) -> ParticipantCalendar:
    bookings = [Booking(UUID(b["session_id"]), UUID(b["owner_id"]), _utc(b["starts_at"]), _utc(b["ends_at"]),
                        b.get("group_key")) for b in d["bookings"]]
    return ParticipantCalendar(UUID(d["_id"]), bookings, d["version"])


def cafe_to_doc(c: Cafe) -> dict[str, Any]:
    return {"_id": str(c.cafe_id), "programme_id": str(c.programme_id), "topic": c.topic, "starts_at": c.starts_at,
            "duration_minutes": c.duration_minutes, "capacity": c.capacity,
            "attendees": [str(a) for a in c.attendees], "status": c.status}


def cafe_from_doc(d: dict[str, Any]) -> Cafe:
    return Cafe(UUID(d["_id"]), UUID(d["programme_id"]), d["topic"], _utc(d["starts_at"]), d["duration_minutes"],
                d["capacity"], [UUID(a) for a in d["attendees"]], d["status"], d["version"])
