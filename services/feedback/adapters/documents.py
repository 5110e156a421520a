"""Domain objects <-> MongoDB documents (`_id` is the aggregate id).

Topic codes and attitude items are user-visible codes, so they are stored as lists of
{key, value} objects, never as document keys (FerretDB refuses some key shapes).
"""

from typing import Any
from uuid import UUID

from feedback.domain.model import CompletedSession, Survey


def pairs_to_doc(answers: dict[str, int]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in answers.items()]


def pairs_from_doc(items: list[dict[str, Any]] | None) -> dict[str, int]:
    return {i["key"]: i["value"] for i in items or []}


def session_to_doc(s: CompletedSession) -> dict[str, Any]:
    return {
        "_id": str(s.session_id),
        "pair_id": str(s.pair_id),
        "programme_id": str(s.programme_id),
        "country": s.country,
        "mentor_id": str(s.mentor_id),
        "mentee_id": str(s.mentee_id),
        "completed_at": s.completed_at,
        "sequence": s.sequence,
    }


def session_from_doc(d: dict[str, Any]) -> CompletedSession:
    return CompletedSession(
        session_id=UUID(d["_id"]),
        pair_id=UUID(d["pair_id"]),
        programme_id=UUID(d["programme_id"]),
        country=d["country"],
        mentor_id=UUID(d["mentor_id"]),
        mentee_id=UUID(d["mentee_id"]),
        completed_at=d["completed_at"],
        sequence=d.get("sequence", 1),
    )


def survey_to_doc(s: Survey) -> dict[str, Any]:
    return {
        "_id": str(s.survey_id),
        "session_id": str(s.session_id),
        "pair_id": str(s.pair_id),
        "programme_id": str(s.programme_id),
        "country": s.country,
        "respondent_id": str(s.respondent_id),
        "respondent_role": s.respondent_role,
        "rating": s.rating,
        "would_recommend": s.would_recommend,
        "comment": s.comment,
        "submitted_at": s.submitted_at,
        "modules_covered": list(s.modules_covered),
        "attitudes": pairs_to_doc(s.attitudes),
        "has_attitudes": bool(s.attitudes),
        "revision": s.revision,
    }


def survey_from_doc(d: dict[str, Any]) -> Survey:
    return Survey(
        survey_id=UUID(d["_id"]),
        session_id=UUID(d["session_id"]),
        pair_id=UUID(d["pair_id"]),
        programme_id=UUID(d["programme_id"]),
        country=d["country"],
        respondent_id=UUID(d["respondent_id"]),
        respondent_role=d["respondent_role"],
        rating=d["rating"],
        would_recommend=d.get("would_recommend"),
        comment=d.get("comment"),
        submitted_at=d["submitted_at"],
        modules_covered=tuple(d.get("modules_covered", ())),
        attitudes=pairs_from_doc(d.get("attitudes")),
        revision=d.get("revision", 1),
        version=d["version"],
    )
