"""Invitations, end surveys, enrollments and planned sessions <-> MongoDB documents."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from feedback.adapters.documents import pairs_from_doc, pairs_to_doc
from feedback.domain.end_survey import EndSurvey
from feedback.domain.invitations import Invitation
from feedback.domain.participants import Participant, PlannedSession


def utc(d: datetime) -> datetime:
    # The driver returns naive UTC datetimes; the domain compares aware ones.
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def invitation_to_doc(i: Invitation) -> dict[str, Any]:
    return {"_id": str(i.survey_id), "kind": i.kind, "programme_id": str(i.programme_id),
            "pair_id": str(i.pair_id), "session_id": str(i.session_id) if i.session_id else None,
            "country": i.country, "respondent_id": str(i.respondent_id), "respondent_role": i.respondent_role,
            "invited_at": i.invited_at, "expires_at": i.expires_at}


def invitation_from_doc(d: dict[str, Any]) -> Invitation:
    return Invitation(UUID(d["_id"]), d["kind"], UUID(d["programme_id"]), UUID(d["pair_id"]),
                      UUID(d["session_id"]) if d.get("session_id") else None, d["country"],
                      UUID(d["respondent_id"]), d["respondent_role"], utc(d["invited_at"]), utc(d["expires_at"]),
                      d.get("version", 0))


def end_survey_to_doc(s: EndSurvey) -> dict[str, Any]:
    return {"_id": str(s.survey_id), "pair_id": str(s.pair_id), "programme_id": str(s.programme_id),
            "country": s.country, "respondent_id": str(s.respondent_id), "respondent_role": s.respondent_role,
            "would_recommend": s.would_recommend, "nps": s.nps, "skills_after": pairs_to_doc(s.skills_after),
            "skills_before": pairs_to_doc(s.skills_before), "attitudes_after": pairs_to_doc(s.attitudes_after),
            "attitudes_before": pairs_to_doc(s.attitudes_before), "gains": list(s.gains), "comment": s.comment,
            "submitted_at": s.submitted_at, "revision": s.revision}


def end_survey_from_doc(d: dict[str, Any]) -> EndSurvey:
    return EndSurvey(
        UUID(d["_id"]), UUID(d["pair_id"]), UUID(d["programme_id"]), d["country"], UUID(d["respondent_id"]),
        d["respondent_role"], d["would_recommend"], d["nps"], pairs_from_doc(d["skills_after"]),
        pairs_from_doc(d["attitudes_after"]), tuple(d["gains"]), d.get("comment"), utc(d["submitted_at"]),
        pairs_from_doc(d["skills_before"]), pairs_from_doc(d["attitudes_before"]), d.get("revision", 1),
        d["version"])


def participant_to_doc(p: Participant) -> dict[str, Any]:
    return {"_id": str(p.participant_id), "programme_id": str(p.programme_id), "role": p.role,
            "country": p.country, "seniority_level": p.seniority_level, "enrolled_at": p.enrolled_at,
            "skills": pairs_to_doc(p.skills)}


def participant_from_doc(d: dict[str, Any]) -> Participant:
    return Participant(UUID(d["_id"]), UUID(d["programme_id"]), d["role"], d["country"], d["seniority_level"],
                       utc(d["enrolled_at"]), pairs_from_doc(d["skills"]))


def planned_to_doc(s: PlannedSession) -> dict[str, Any]:
    return {"_id": str(s.session_id), "pair_id": str(s.pair_id), "programme_id": str(s.programme_id),
            "mentor_id": str(s.mentor_id), "mentee_id": str(s.mentee_id)}


def planned_from_doc(d: dict[str, Any]) -> PlannedSession:
    return PlannedSession(UUID(d["_id"]), UUID(d["pair_id"]), UUID(d["programme_id"]), UUID(d["mentor_id"]),
                          UUID(d["mentee_id"]))
