"""Domain objects <-> MongoDB documents (`_id` is the aggregate id)."""

from typing import Any
from uuid import UUID

from enrollment.domain.model import Participant, Programme, Slot


def programme_to_doc(p: Programme) -> dict[str, Any]:
    return {
        "_id": str(p.programme_id),
        "code": p.code,
        "name": p.name,
        "countries": p.countries,
        "languages": p.languages,
        "sessions_per_pair": p.sessions_per_pair,
        "session_minutes": p.session_minutes,
        "cadence_days": p.cadence_days,
    }


def programme_from_doc(d: dict[str, Any]) -> Programme:
    return Programme(
        programme_id=UUID(d["_id"]),
        code=d["code"],
        name=d["name"],
        countries=d["countries"],
        languages=d["languages"],
        sessions_per_pair=d["sessions_per_pair"],
        session_minutes=d["session_minutes"],
        cadence_days=d["cadence_days"],
        version=d["version"],
    )


def participant_to_doc(p: Participant) -> dict[str, Any]:
    return {
        "_id": str(p.participant_id),
        "programme_id": str(p.programme_id),
        "employee_id": p.employee_id,
        "display_name": p.display_name,
        "email": p.email,
        "role": p.role,
        "country": p.country,
        "languages": p.languages,
        "time_zone": p.time_zone,
        "seniority_level": p.seniority_level,
        "department": p.department,
        "availability": [{"weekday": s.weekday, "start": s.start_minute, "end": s.end_minute} for s in p.availability],
        "status": p.status,
    }


def participant_from_doc(d: dict[str, Any]) -> Participant:
    return Participant(
        participant_id=UUID(d["_id"]),
        programme_id=UUID(d["programme_id"]),
        employee_id=d["employee_id"],
        display_name=d["display_name"],
        email=d.get("email"),
        role=d["role"],
        country=d["country"],
        languages=d["languages"],
        time_zone=d["time_zone"],
        seniority_level=d["seniority_level"],
        department=d.get("department"),
        availability=[Slot(s["weekday"], s["start"], s["end"]) for s in d["availability"]],
        status=d["status"],
        version=d["version"],
    )
