"""Domain objects <-> MongoDB documents (`_id` is the aggregate id)."""

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from scheduling.domain.cafe import Cafe
from scheduling.domain.model import SessionPlan
from scheduling.domain.participant_calendar import Booking, ParticipantCalendar


def utc(t: datetime | None) -> datetime | None:
    # The driver hands back naive datetimes that are UTC.
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


def plan_fields(p: SessionPlan) -> dict[str, Any]:
    # Dates as ISO text (BSON has no date-only type), the weekend as a list.
    return {**asdict(p), "starts_on": p.starts_on.isoformat() if p.starts_on else None,
            "ends_on": p.ends_on.isoformat() if p.ends_on else None, "weekend_days": list(p.weekend_days)}


def plan_from_fields(d: dict[str, Any]) -> SessionPlan:
    values = {k: v for k, v in d.items() if k != "_id"}
    for name in ("starts_on", "ends_on"):
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    values["weekend_days"] = tuple(values.get("weekend_days", (5, 6)))
    return SessionPlan(**values)


def plan_to_doc(programme_id: UUID, p: SessionPlan) -> dict[str, Any]:
    return {"_id": str(programme_id), **plan_fields(p)}


def plan_from_doc(d: dict[str, Any]) -> SessionPlan:
    return plan_from_fields(d)


def _booking(b: Booking) -> dict[str, Any]:
    # No `group_key` unless the booking is a group meeting's: a mentor's calendar is rewritten with all
    # their bookings whenever one changes (FerretDB v1 rewrites whole documents), so it holds no nulls.
    doc = {"session_id": str(b.session_id), "owner_id": str(b.owner_id), "starts_at": b.starts_at, "ends_at": b.ends_at}
    return doc | ({"group_key": b.group_key} if b.group_key is not None else {})


def calendar_to_doc(c: ParticipantCalendar) -> dict[str, Any]:
    return {"_id": str(c.participant_id), "bookings": [_booking(b) for b in c.bookings]}


def calendar_from_doc(d: dict[str, Any]) -> ParticipantCalendar:
    bookings = [Booking(UUID(b["session_id"]), UUID(b["owner_id"]), utc(b["starts_at"]), utc(b["ends_at"]),
                        b.get("group_key")) for b in d["bookings"]]
    return ParticipantCalendar(UUID(d["_id"]), bookings, d["version"])


def cafe_to_doc(c: Cafe) -> dict[str, Any]:
    return {"_id": str(c.cafe_id), "programme_id": str(c.programme_id), "topic": c.topic, "starts_at": c.starts_at,
            "duration_minutes": c.duration_minutes, "capacity": c.capacity,
            "attendees": [str(a) for a in c.attendees], "status": c.status}


def cafe_from_doc(d: dict[str, Any]) -> Cafe:
    return Cafe(UUID(d["_id"]), UUID(d["programme_id"]), d["topic"], utc(d["starts_at"]), d["duration_minutes"],
                d["capacity"], [UUID(a) for a in d["attendees"]], d["status"], d["version"])
