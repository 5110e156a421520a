"""Domain objects <-> MongoDB documents (`_id` is the aggregate id).

User-supplied names (topics, criteria) are values, never keys: lists of {key, value} objects.
"""

from datetime import date
from typing import Any
from uuid import UUID

from matching.domain.model import Candidate, Override, Pair, Proposal, Round, Skill, Slot, Unmatched
from matching.domain.programme import PairRule, Policy, Programme
from shared.availability import CalendarRules, ProgrammeCalendar


def _pairs(mapping: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in mapping.items()]


def _mapping(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {i["key"]: i["value"] for i in items}


def _id(value: UUID | None) -> str | None:
    return str(value) if value else None


def _uuid(value: str | None) -> UUID | None:
    return UUID(value) if value else None


def _override_to_doc(o: Override | None) -> dict[str, Any] | None:
    return {"by": o.by, "reason": o.reason, "rules": list(o.rules)} if o else None


def _override_from_doc(d: dict[str, Any] | None) -> Override | None:
    return Override(d["by"], d["reason"], tuple(d.get("rules", ()))) if d else None


def candidate_to_doc(c: Candidate) -> dict[str, Any]:
    return {
        "_id": str(c.participant_id), "programme_id": str(c.programme_id), "role": c.role, "country": c.country,
        "languages": c.languages, "time_zone": c.time_zone, "seniority_level": c.seniority_level,
        "availability": [{"weekday": s.weekday, "start": s.start, "end": s.end} for s in c.availability],
        "department": c.department, "manager_id": _id(c.manager_id),
        "skills": [{"topic": s.topic, "proficiency": s.proficiency, "wish": s.wish} for s in c.skills],
        "must_match": c.must_match, "withdrawn": c.withdrawn, "capacity": c.capacity, "region": c.region,
    }


def candidate_from_doc(d: dict[str, Any]) -> Candidate:
    return Candidate(
        participant_id=UUID(d["_id"]), programme_id=UUID(d["programme_id"]), role=d["role"], country=d["country"],
        languages=d["languages"], time_zone=d["time_zone"], seniority_level=d["seniority_level"],
        availability=[Slot(s["weekday"], s["start"], s["end"]) for s in d["availability"]],
        department=d.get("department"), manager_id=_uuid(d.get("manager_id")),
        skills=[Skill(s["topic"], s["proficiency"], s["wish"]) for s in d.get("skills", [])],
        must_match=d.get("must_match", False), withdrawn=d.get("withdrawn", False), capacity=d.get("capacity"),
        region=d.get("region"), version=d["version"],
    )


def pair_to_doc(p: Pair) -> dict[str, Any]:
    return {
        "_id": str(p.pair_id), "programme_id": str(p.programme_id), "mentor_id": str(p.mentor_id),
        "mentee_id": str(p.mentee_id), "country": p.country, "language": p.language, "score": p.score,
        "breakdown": _pairs(p.breakdown), "directions": _pairs(p.directions), "status": p.status,
        "override": _override_to_doc(p.override),
    }


def pair_from_doc(d: dict[str, Any]) -> Pair:
    return Pair(
        pair_id=UUID(d["_id"]), programme_id=UUID(d["programme_id"]), mentor_id=UUID(d["mentor_id"]),
        mentee_id=UUID(d["mentee_id"]), country=d["country"], language=d["language"], score=d["score"],
        breakdown=_mapping(d.get("breakdown", [])), directions=_mapping(d.get("directions", [])),
        status=d.get("status", "active"), override=_override_from_doc(d.get("override")), version=d["version"],
    )


def programme_to_doc(p: Programme) -> dict[str, Any]:
    pol = p.policy
    return {
        "_id": str(p.programme_id), "launched": p.launched, "mode": p.mode,
        "pending_round_id": _id(p.pending_round_id),
        "policy": {"mentor_capacity": pol.mentor_capacity, "same_country_only": pol.same_country_only,
                   "exclude_reporting_line": pol.exclude_reporting_line,
                   "exclude_same_department": pol.exclude_same_department,
                   "min_overlap_minutes": pol.min_overlap_minutes, "weights": _pairs(pol.weights),
                   "reference_date": pol.reference_date.isoformat(), "calendar": _calendar_doc(pol.calendar)},
        "rules": [{"mentor_id": str(r.mentor_id), "mentee_id": str(r.mentee_id), "kind": r.kind,
                   "override": _override_to_doc(r.override)} for r in p.rules],
    }


def _calendar_doc(cal: ProgrammeCalendar | None) -> dict[str, Any] | None:
    if cal is None:
        return None
    return {"starts_on": cal.starts_on.isoformat(), "ends_on": cal.ends_on.isoformat(), "sessions": cal.sessions,
            "session_minutes": cal.session_minutes, "cadence_days": cal.cadence_days,
            "grid_minutes": cal.rules.grid_minutes, "weekend_days": list(cal.rules.weekend_days),
            "holidays": cal.rules.holidays}


def _calendar(d: dict[str, Any] | None) -> ProgrammeCalendar | None:
    if not d:
        return None
    rules = CalendarRules(d["grid_minutes"], tuple(d["weekend_days"]), d["holidays"])
    return ProgrammeCalendar(date.fromisoformat(d["starts_on"]), date.fromisoformat(d["ends_on"]), d["sessions"],
                             d["session_minutes"], d["cadence_days"], rules)


def programme_from_doc(d: dict[str, Any]) -> Programme:
    pol = d["policy"]
    policy = Policy(**{k: v for k, v in pol.items() if k not in ("weights", "reference_date", "calendar")},
                    weights=_mapping(pol["weights"]), reference_date=date.fromisoformat(pol["reference_date"]),
                    calendar=_calendar(pol.get("calendar")))
    return Programme(
        programme_id=UUID(d["_id"]), policy=policy, launched=d["launched"], mode=d["mode"],
        rules=[PairRule(UUID(r["mentor_id"]), UUID(r["mentee_id"]), r["kind"], _override_from_doc(r.get("override")))
               for r in d["rules"]],
        pending_round_id=_uuid(d.get("pending_round_id")), version=d["version"],
    )


def _proposal_to_doc(p: Proposal) -> dict[str, Any]:
    return {"mentor_id": str(p.mentor_id), "mentee_id": str(p.mentee_id), "language": p.language,
            "score": p.score, "breakdown": _pairs(p.breakdown), "directions": _pairs(p.directions),
            "pinned": p.pinned, "override": _override_to_doc(p.override)}


def _proposal_from_doc(d: dict[str, Any]) -> Proposal:
    return Proposal(UUID(d["mentor_id"]), UUID(d["mentee_id"]), d["language"], d["score"],
                    _mapping(d["breakdown"]), _mapping(d["directions"]), d["pinned"],
                    _override_from_doc(d.get("override")))


def round_to_doc(r: Round) -> dict[str, Any]:
    return {
        "_id": str(r.round_id), "programme_id": str(r.programme_id), "status": r.status,
        "objective": r.objective, "must_matched": r.must_matched, "published_pairs": r.published_pairs,
        "proposals": [_proposal_to_doc(p) for p in r.proposals],
        "unmatched": [{"participant_id": str(u.participant_id), "reason": u.reason} for u in r.unmatched],
    }


def round_from_doc(d: dict[str, Any]) -> Round:
    return Round(
        round_id=UUID(d["_id"]), programme_id=UUID(d["programme_id"]),
        proposals=[_proposal_from_doc(p) for p in d["proposals"]],
        unmatched=[Unmatched(UUID(u["participant_id"]), u["reason"]) for u in d["unmatched"]],
        objective=d["objective"], must_matched=d["must_matched"], status=d["status"],
        published_pairs=d["published_pairs"], version=d["version"],
    )
