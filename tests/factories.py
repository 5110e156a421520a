"""Valid events and requests with fresh ids, so tests can share a broker and a database server."""

import uuid
from datetime import UTC, datetime

from shared.contracts import (
    PairCreated,
    PairDissolved,
    PairMember,
    ParticipantEnrolled,
    ParticipantWithdrawn,
    ProgrammeLaunched,
    SessionCompleted,
    WeeklySlot,
)

WORKDAYS_9_TO_17 = [WeeklySlot(weekday=d, start="09:00", end="17:00") for d in range(5)]


def programme_launched(**overrides: object) -> ProgrammeLaunched:
    fields = {"programme_id": uuid.uuid4(), "name": "Digital reverse mentoring", "countries": ["FR", "DE"],
              "languages": ["fr", "en"], "sessions_per_pair": 3, "session_minutes": 60, "cadence_days": 7}
    return ProgrammeLaunched(**{**fields, **overrides})


def participant_enrolled(programme_id: uuid.UUID, role: str, **overrides: object) -> ParticipantEnrolled:
    fields = {"participant_id": uuid.uuid4(), "programme_id": programme_id, "role": role, "country": "FR",
              "languages": ["fr", "en"], "time_zone": "Europe/Paris",
              "seniority_level": 2 if role == "mentor" else 8, "availability": WORKDAYS_9_TO_17}
    return ParticipantEnrolled(**{**fields, **overrides})


def pair_member(time_zone: str = "Europe/Paris", country: str = "FR") -> PairMember:
    return PairMember(participant_id=uuid.uuid4(), country=country, time_zone=time_zone,
                      availability=WORKDAYS_9_TO_17)


def pair_created(programme_id: uuid.UUID, **overrides: object) -> PairCreated:
    fields = {"pair_id": uuid.uuid4(), "programme_id": programme_id, "country": "FR", "language": "fr",
              "mentor": pair_member(), "mentee": pair_member(), "score": 0.5,
              "occurred_at": datetime(2026, 3, 23, 8, 0, tzinfo=UTC)}
    return PairCreated(**{**fields, **overrides})


def participant_withdrawn(programme_id: uuid.UUID, participant_id: uuid.UUID,
                          **overrides: object) -> ParticipantWithdrawn:
    return ParticipantWithdrawn(**{"participant_id": participant_id, "programme_id": programme_id, **overrides})


def pair_dissolved(pair: PairCreated, **overrides: object) -> PairDissolved:
    fields = {"pair_id": pair.pair_id, "programme_id": pair.programme_id, "mentor_id": pair.mentor.participant_id,
              "mentee_id": pair.mentee.participant_id, "reason": "manager_decision"}
    return PairDissolved(**{**fields, **overrides})


def session_completed(**overrides: object) -> SessionCompleted:
    fields = {"session_id": uuid.uuid4(), "pair_id": uuid.uuid4(), "programme_id": uuid.uuid4(), "country": "FR",
              "sequence": 1, "completed_at": datetime.now(UTC), "actual_minutes": 55,
              "mentor_id": uuid.uuid4(), "mentee_id": uuid.uuid4()}
    return SessionCompleted(**{**fields, **overrides})


def participant_request(employee_id: str, role: str, **overrides: object) -> dict[str, object]:
    body = {"employee_id": employee_id, "display_name": f"Person {employee_id}", "role": role, "country": "FR",
            "languages": ["fr"], "time_zone": "Europe/Paris", "seniority_level": 2 if role == "mentor" else 8,
            "availability": [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]}
    return {**body, **overrides}


def programme_request(code: str | None = None, **overrides: object) -> dict[str, object]:
    body = {"code": code or f"P-{uuid.uuid4().hex[:10]}", "name": "Reverse mentoring 2026",
            "countries": ["FR", "DE", "BR"], "languages": ["fr", "en", "de", "pt"],
            "sessions_per_pair": 3, "session_minutes": 60, "cadence_days": 7}
    return {**body, **overrides}
