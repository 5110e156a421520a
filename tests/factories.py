"""Valid events and requests with fresh ids, so tests can share a broker and a database server."""

import uuid
from datetime import UTC, datetime

from shared.contracts import (
    IntegrationEvent,
    MemberProfile,
    PairCreated,
    PairDissolved,
    PairMember,
    ParticipantEnrolled,
    ParticipantKey,
    ParticipantProfile,
    ParticipantUpdated,
    ParticipantWithdrawn,
    ProgrammeLaunched,
    SessionCompleted,
    WeeklySlot,
)
from shared.crypto.sealing import new_data_key, seal, unseal

WORKDAYS_9_TO_17 = [WeeklySlot(weekday=d, start="09:00", end="17:00") for d in range(5)]


def programme_launched(**overrides: object) -> ProgrammeLaunched:
    fields = {"programme_id": uuid.uuid4(), "name": "Digital reverse mentoring", "countries": ["FR", "DE"],
              "languages": ["fr", "en"], "sessions_per_pair": 3, "session_minutes": 60, "cadence_days": 7}
    return ProgrammeLaunched(**{**fields, **overrides})


# Each participant's data key, as enrollment would publish it on the key topic.
KEYS: dict[uuid.UUID, str] = {}


def data_key(participant_id: uuid.UUID) -> str:
    return KEYS.setdefault(participant_id, new_data_key())


def participant_key(participant_id: uuid.UUID, programme_id: uuid.UUID | None = None) -> ParticipantKey:
    return ParticipantKey(participant_id=participant_id, programme_id=programme_id or uuid.uuid4(),
                          data_key=data_key(participant_id))


def keys_for(*events: IntegrationEvent) -> list[ParticipantKey]:
    """The key records a service needs before it can open these events' sealed attributes."""
    ids = [e.participant_id for e in events if isinstance(e, ParticipantEnrolled)]
    ids += [m.participant_id for e in events if isinstance(e, PairCreated) for m in (e.mentor, e.mentee)]
    return [participant_key(i) for i in dict.fromkeys(ids)]


def with_keys(*events: IntegrationEvent) -> list[IntegrationEvent]:
    return [*keys_for(*events), *events]


def profile(event: ParticipantEnrolled) -> ParticipantProfile:
    return unseal(event.profile, data_key(event.participant_id), event.participant_id, ParticipantProfile)


def participant_enrolled(programme_id: uuid.UUID, role: str, **overrides: object) -> ParticipantEnrolled:
    fields = {"role": role, "country": "FR", "languages": ["fr", "en"], "time_zone": "Europe/Paris",
              "seniority_level": 2 if role == "mentor" else 8, "availability": WORKDAYS_9_TO_17}
    attributes = {k: v for k, v in overrides.items() if k in ParticipantProfile.model_fields}
    envelope = {k: v for k, v in overrides.items() if k not in attributes}
    participant_id = envelope.pop("participant_id", uuid.uuid4())
    sealed = seal(ParticipantProfile(**{**fields, **attributes}), data_key(participant_id), participant_id)
    return ParticipantEnrolled(participant_id=participant_id, programme_id=programme_id, profile=sealed, **envelope)


def participant_updated(enrolled: ParticipantEnrolled, **changes: object) -> ParticipantUpdated:
    """The same participant with changed attributes, sealed again under their key."""
    attributes = profile(enrolled).model_copy(update=changes)
    sealed = seal(attributes, data_key(enrolled.participant_id), enrolled.participant_id)
    return ParticipantUpdated(participant_id=enrolled.participant_id, programme_id=enrolled.programme_id,
                              profile=sealed, changed=sorted(changes))


def pair_member(time_zone: str = "Europe/Paris", country: str = "FR",
                participant_id: uuid.UUID | None = None) -> PairMember:
    participant_id = participant_id or uuid.uuid4()
    attributes = MemberProfile(country=country, time_zone=time_zone, availability=WORKDAYS_9_TO_17)
    return PairMember(participant_id=participant_id, profile=seal(attributes, data_key(participant_id), participant_id))


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
