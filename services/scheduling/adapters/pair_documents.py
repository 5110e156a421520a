"""A pair as stored: the document its planning inserts and the relay rewrites when it clears the outbox.

FerretDB v1 decodes and re-encodes the whole stored document for every command that touches it, so its
CPU follows the document's size (issue 14, docs/benchmarks.md "Bytes per participant"). The document
therefore holds each fact once and nothing at its usual value:
- a session holds only the fields away from `SESSION_DEFAULTS` (the stored format's own constants, not
  the dataclass's defaults, so changing those never changes what a stored session means);
- a member's weekly slots are "weekday start end" strings (`slots`), not one object each;
- a field without a value (no reason, no plan yet, nothing pending, not at risk) is absent, and a write
  that clears it unsets it (`removed_fields`);
- the session ids are not repeated beside the sessions: `session_pairs` finds a pair by session.
Documents of the earlier shape (`availability` objects, every field, `session_ids`) read the same, and
the next write of such a pair stores it in this shape.
"""

from dataclasses import asdict
from typing import Any
from uuid import UUID

from scheduling.adapters.documents import plan_fields, plan_from_fields, utc
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.model import Member, PendingSession, Session
from scheduling.domain.pair import PairSchedule

SESSION_DEFAULTS: dict[str, Any] = {"status": "scheduled", "completed_at": None, "actual_minutes": None,
                                    "module": 0, "modules_covered": [], "reminded": False, "cancel_reason": None,
                                    "group_key": None}
SESSION_ALWAYS = ("sequence", "starts_at", "duration_minutes")
OPTIONAL = ("unschedulable_reason", "plan_used", "pending", "last_activity_at", "at_risk_since")
FORMER = ("session_ids",)  # stored by the earlier shape only


def _member_to_doc(m: Member) -> dict[str, Any]:
    doc = {"participant_id": str(m.participant_id), "country": m.country, "time_zone": m.availability.time_zone,
           "slots": [f"{s.weekday} {s.start} {s.end}" for s in m.availability.slots]}
    return doc | ({"region": m.region} if m.region is not None else {})


def _member_from_doc(d: dict[str, Any]) -> Member:
    if "slots" in d:
        slots = tuple(Slot(int(w), start, end) for w, start, end in (s.split(" ") for s in d["slots"]))
    else:  # the earlier shape
        slots = tuple(Slot(s["weekday"], s["start"], s["end"]) for s in d["availability"])
    return Member(UUID(d["participant_id"]), d["country"], WeeklyAvailability(d["time_zone"], slots), d.get("region"))


def session_to_doc(s: Session) -> dict[str, Any]:
    doc = {"session_id": str(s.session_id), **{name: getattr(s, name) for name in SESSION_ALWAYS}}
    for name, usual in SESSION_DEFAULTS.items():
        if (value := getattr(s, name)) != usual:
            doc[name] = list(value) if name == "modules_covered" else value
    return doc


def session_from_doc(d: dict[str, Any]) -> Session:
    values = {**SESSION_DEFAULTS, **d}
    return Session(**{**values, "session_id": UUID(d["session_id"]), "starts_at": utc(d["starts_at"]),
                      "completed_at": utc(values["completed_at"]), "modules_covered": list(values["modules_covered"])})


def session_ids(doc: dict[str, Any]) -> list[str]:
    return [s["session_id"] for s in doc.get("sessions", [])]


def pair_to_doc(p: PairSchedule) -> dict[str, Any]:
    doc = {
        "_id": str(p.pair_id), "programme_id": str(p.programme_id), "country": p.country,
        "mentor": _member_to_doc(p.mentor), "mentee": _member_to_doc(p.mentee), "not_before": p.not_before,
        "status": p.status, "sessions": [session_to_doc(s) for s in p.sessions],
        # Beside the nested members so lists and erasure filter on a flat array.
        "member_ids": [str(m.participant_id) for m in p.members],
        "unschedulable_reason": p.unschedulable_reason,
        "plan_used": plan_fields(p.plan_used) if p.plan_used else None,
        "pending": [asdict(x) for x in p.pending] or None,
        "last_activity_at": p.last_activity_at, "at_risk_since": p.at_risk_since,
    }
    return {k: v for k, v in doc.items() if v is not None}


def removed_fields(doc: dict[str, Any]) -> list[str]:
    """What a write of `doc` unsets: the optional fields it leaves out, and the earlier shape's."""
    return [name for name in (*OPTIONAL, *FORMER) if name not in doc]


def pair_from_doc(d: dict[str, Any]) -> PairSchedule:
    return PairSchedule(
        pair_id=UUID(d["_id"]), programme_id=UUID(d["programme_id"]), country=d["country"],
        mentor=_member_from_doc(d["mentor"]), mentee=_member_from_doc(d["mentee"]), not_before=utc(d["not_before"]),
        status=d["status"], unschedulable_reason=d.get("unschedulable_reason"),
        sessions=[session_from_doc(s) for s in d["sessions"]],
        plan_used=plan_from_fields(d["plan_used"]) if d.get("plan_used") else None,
        pending=[PendingSession(**x) for x in d.get("pending") or []],
        last_activity_at=utc(d.get("last_activity_at")), at_risk_since=utc(d.get("at_risk_since")),
        version=d["version"],
    )
