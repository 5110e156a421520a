"""A pair's document as scheduling stored it before the compact shape (issue 14): every field, nulls
included, availability slots as objects, the session ids repeated in `session_ids`. Such documents
can be in a store after an upgrade; the tests check they read the same and are rewritten compact."""

from dataclasses import asdict
from typing import Any

from scheduling.adapters.documents import plan_fields
from scheduling.domain.model import Member
from scheduling.domain.pair import PairSchedule


def _member(m: Member) -> dict[str, Any]:
    return {"participant_id": str(m.participant_id), "country": m.country, "time_zone": m.availability.time_zone,
            "availability": [{"weekday": s.weekday, "start": s.start, "end": s.end} for s in m.availability.slots],
            "region": m.region}


def earlier_pair_doc(p: PairSchedule) -> dict[str, Any]:
    return {
        "_id": str(p.pair_id), "programme_id": str(p.programme_id), "country": p.country,
        "mentor": _member(p.mentor), "mentee": _member(p.mentee), "not_before": p.not_before, "status": p.status,
        "unschedulable_reason": p.unschedulable_reason,
        "sessions": [{**asdict(s), "session_id": str(s.session_id)} for s in p.sessions],
        "session_ids": [str(s.session_id) for s in p.sessions],
        "member_ids": [str(m.participant_id) for m in p.members],
        "plan_used": plan_fields(p.plan_used) if p.plan_used else None,
        "pending": [asdict(x) for x in p.pending],
        "last_activity_at": p.last_activity_at, "at_risk_since": p.at_risk_since,
    }
