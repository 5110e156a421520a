"""Domain objects <-> MongoDB documents (`_id` is the aggregate id)."""

from datetime import date
from typing import Any
from uuid import UUID

from enrollment.domain.curriculum import Curriculum, Module, Topic
from enrollment.domain.model import MatchingPolicy, Participant, Programme, Skill, Slot
from shared.availability import CalendarRules


def curriculum_to_doc(c: Curriculum) -> dict[str, Any]:
    return {
        "_id": c.version,
        "title": c.title,
        "modules": [{"code": m.code, "title": m.title, "topics": [{"code": t.code, "title": t.title} for t in m.topics]}
                    for m in c.modules],
    }


def curriculum_from_doc(d: dict[str, Any]) -> Curriculum:
    modules = tuple(Module(m["code"], m["title"], tuple(Topic(t["code"], t["title"]) for t in m["topics"]))
                    for m in d["modules"])
    return Curriculum(d["_id"], d["title"], modules)


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
        "format": p.format,
        "mentor_capacity": p.mentor_capacity,
        "matching_policy": {
            "same_country_only": p.matching_policy.same_country_only,
            "exclude_reporting_line": p.matching_policy.exclude_reporting_line,
            "exclude_same_department": p.matching_policy.exclude_same_department,
            "min_overlap_minutes": p.matching_policy.min_overlap_minutes,
            "weights": [{"criterion": c, "weight": w} for c, w in p.matching_policy.weights],
        },
        "time_zones": [{"country": c, "time_zone": z} for c, z in p.time_zones.items()],
        "curriculum_version": p.curriculum_version,
        # Dates as ISO text: BSON has no date-only type.
        "enrollment_opens": p.enrollment_opens.isoformat() if p.enrollment_opens else None,
        "enrollment_closes": p.enrollment_closes.isoformat() if p.enrollment_closes else None,
        "status": p.status,
        "starts_on": p.starts_on.isoformat() if p.starts_on else None,
        "ends_on": p.ends_on.isoformat() if p.ends_on else None,
        "calendar": {"grid_minutes": p.calendar.grid_minutes, "weekend_days": list(p.calendar.weekend_days),
                     "holidays": p.calendar.holidays},
        "planning_deadline_days": p.planning_deadline_days,
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


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
        format=d["format"],
        mentor_capacity=d["mentor_capacity"],
        matching_policy=MatchingPolicy(
            same_country_only=d["matching_policy"]["same_country_only"],
            exclude_reporting_line=d["matching_policy"]["exclude_reporting_line"],
            exclude_same_department=d["matching_policy"]["exclude_same_department"],
            min_overlap_minutes=d["matching_policy"]["min_overlap_minutes"],
            weights=tuple((w["criterion"], w["weight"]) for w in d["matching_policy"]["weights"]),
        ),
        time_zones={t["country"]: t["time_zone"] for t in d["time_zones"]},
        curriculum_version=d["curriculum_version"],
        enrollment_opens=date.fromisoformat(d["enrollment_opens"]) if d.get("enrollment_opens") else None,
        enrollment_closes=date.fromisoformat(d["enrollment_closes"]) if d.get("enrollment_closes") else None,
        status=d.get("status", "open"),
        starts_on=_date(d.get("starts_on")),
        ends_on=_date(d.get("ends_on")),
        calendar=CalendarRules(**{**d["calendar"], "weekend_days": tuple(d["calendar"]["weekend_days"])})
        if d.get("calendar") else CalendarRules(),
        planning_deadline_days=d.get("planning_deadline_days", 28),
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
        "region": p.region,
        "seniority_level": p.seniority_level,
        "department": p.department,
        "availability": [{"weekday": s.weekday, "start": s.start_minute, "end": s.end_minute} for s in p.availability],
        "manager_employee_id": p.manager_employee_id,
        "manager_participant_id": str(p.manager_participant_id) if p.manager_participant_id else None,
        "skills": [{"topic": s.topic, "proficiency": s.proficiency, "wish": s.wish} for s in p.skills],
        "must_match": p.must_match,
        "goals": p.goals,
        "consents": list(p.consents),
        "status": p.status,
        "withdrawal_reason": p.withdrawal_reason,
        "data_key": p.data_key,
    }


def participant_from_doc(d: dict[str, Any]) -> Participant:
    if d["status"] == "erased":
        return _tombstone(d)
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
        region=d.get("region"),
        seniority_level=d["seniority_level"],
        department=d.get("department"),
        availability=[Slot(s["weekday"], s["start"], s["end"]) for s in d["availability"]],
        manager_employee_id=d.get("manager_employee_id"),
        manager_participant_id=UUID(d["manager_participant_id"]) if d.get("manager_participant_id") else None,
        skills=[Skill(s["topic"], s["proficiency"], s["wish"]) for s in d.get("skills", [])],
        must_match=d.get("must_match", False),
        goals=d.get("goals"),
        consents=tuple(d.get("consents", ["programme_participation"])),
        status=d["status"],
        withdrawal_reason=d.get("withdrawal_reason"),
        data_key=d.get("data_key"),
        version=d["version"],
    )


def _tombstone(d: dict[str, Any]) -> Participant:
    return Participant(participant_id=UUID(d["_id"]), programme_id=UUID(d["programme_id"]), employee_id="",
                       display_name="", email=None, role="mentee", country="", languages=[], time_zone="UTC",
                       seniority_level=0, department=None, status="erased", version=d["version"])
