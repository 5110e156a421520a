"""Domain objects <-> MongoDB documents (`_id` is the aggregate id)."""

from typing import Any
from uuid import UUID

from matching.domain.model import Candidate, Pair, Slot


def candidate_to_doc(c: Candidate) -> dict[str, Any]:
    return {
        "_id": str(c.participant_id),
        "programme_id": str(c.programme_id),
        "role": c.role,
        "country": c.country,
        "languages": c.languages,
        "time_zone": c.time_zone,
        "seniority_level": c.seniority_level,
        "availability": [{"weekday": s.weekday, "start": s.start, "end": s.end} for s in c.availability],
        "pair_id": str(c.pair_id) if c.pair_id else None,
    }


def candidate_from_doc(d: dict[str, Any]) -> Candidate:
    return Candidate(
        participant_id=UUID(d["_id"]),
        programme_id=UUID(d["programme_id"]),
        role=d["role"],
        country=d["country"],
        languages=d["languages"],
        time_zone=d["time_zone"],
        seniority_level=d["seniority_level"],
        availability=[Slot(s["weekday"], s["start"], s["end"]) for s in d["availability"]],
        pair_id=UUID(d["pair_id"]) if d.get("pair_id") else None,
        version=d["version"],
    )


def pair_to_doc(p: Pair) -> dict[str, Any]:
    return {
        "_id": str(p.pair_id),
        "programme_id": str(p.programme_id),
        "mentor_id": str(p.mentor_id),
        "mentee_id": str(p.mentee_id),
        "country": p.country,
        "language": p.language,
        "score": p.score,
    }


def pair_from_doc(d: dict[str, Any]) -> Pair:
    return Pair(
        pair_id=UUID(d["_id"]),
        programme_id=UUID(d["programme_id"]),
        mentor_id=UUID(d["mentor_id"]),
        mentee_id=UUID(d["mentee_id"]),
        country=d["country"],
        language=d["language"],
        score=d["score"],
        version=d["version"],
    )
