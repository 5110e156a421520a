"""Domain objects <-> MongoDB documents (`_id` is the aggregate id)."""

from typing import Any
from uuid import UUID

from feedback.domain.model import CompletedSession, Survey


def session_to_doc(s: CompletedSession) -> dict[str, Any]:
    return {
        "_id": str(s.session_id),
        "pair_id": str(s.pair_id),
        "programme_id": str(s.programme_id),
        "country": s.country,
        "mentor_id": str(s.mentor_id),
        "mentee_id": str(s.mentee_id),
        "completed_at": s.completed_at,
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
        version=d["version"],
    )
