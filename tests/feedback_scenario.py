"""A seeded multi-country programme as feedback sees it: enrollments, planned and completed sessions,
ended pairs, and the survey answers people give, with realistic variation. Used by every tier."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer

from shared.contracts import (
    IntegrationEvent,
    PairCompleted,
    ParticipantEnrolled,
    SessionCompleted,
    SessionScheduled,
    TopicSkill,
    topic_for,
)
from tests.factories import participant_enrolled, profile, with_keys
from tools.servers import Servers

TOPICS = ("copilot", "chatgpt", "linkedin", "data-privacy")
ITEMS = ("can_teach_me", "easy_to_work_with", "adaptable", "reliable", "committed")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Scenario:
    programme_id: uuid.UUID
    enrolled: list[ParticipantEnrolled] = field(default_factory=list)
    scheduled: list[SessionScheduled] = field(default_factory=list)
    completed: list[SessionCompleted] = field(default_factory=list)
    ended: list[PairCompleted] = field(default_factory=list)
    session_answers: list[dict[str, Any]] = field(default_factory=list)  # POST /surveys bodies
    end_answers: list[dict[str, Any]] = field(default_factory=list)  # POST /end-surveys bodies

    def events(self) -> list[IntegrationEvent]:
        return [*self.enrolled, *self.scheduled, *self.completed, *self.ended]


def programme(pairs: int = 24, countries: tuple[str, ...] = ("FR", "DE", "BR"), sessions: int = 3,
              seed: int = 7, now: datetime | None = None) -> Scenario:
    rnd = random.Random(seed)
    now = now or datetime.now(UTC)
    sc = Scenario(uuid.uuid4())
    for p in range(pairs):
        country = countries[p % len(countries)]
        month = START + timedelta(days=31 * (p % 2))  # two cohorts: March and April enrolments
        junior, senior = (_enrol(sc.programme_id, role, country, month, rnd) for role in ("mentor", "mentee"))
        sc.enrolled += [junior, senior]
        pair_id = uuid.uuid4()
        done = sessions if rnd.random() < 0.8 else rnd.randrange(1, sessions)
        for seq in range(1, sessions + 1):
            sid = uuid.uuid4()
            sc.scheduled.append(SessionScheduled(
                session_id=sid, pair_id=pair_id, programme_id=sc.programme_id, sequence=seq,
                starts_at=now - timedelta(days=7 * (sessions - seq + 1)), duration_minutes=60,
                mentor_id=junior.participant_id, mentee_id=senior.participant_id))
            if seq <= done:
                sc.completed.append(SessionCompleted(
                    session_id=sid, pair_id=pair_id, programme_id=sc.programme_id, country=country, sequence=seq,
                    completed_at=now - timedelta(days=sessions - seq, hours=1), actual_minutes=55,
                    mentor_id=junior.participant_id, mentee_id=senior.participant_id))
                for person in (junior, senior):
                    if rnd.random() < 0.75:
                        sc.session_answers.append(_session_answer(sid, person, seq, rnd))
        if done == sessions:
            sc.ended.append(PairCompleted(pair_id=pair_id, programme_id=sc.programme_id, country=country,
                                          mentor_id=junior.participant_id, mentee_id=senior.participant_id,
                                          sessions_completed=done, completed_at=now - timedelta(hours=1)))
            for person in (junior, senior):
                if rnd.random() < 0.85:
                    sc.end_answers.append(_end_answer(pair_id, person, rnd))
    return sc


def _enrol(programme_id: uuid.UUID, role: str, country: str, when: datetime,
           rnd: random.Random) -> ParticipantEnrolled:
    low = role == "mentee"  # seniors start lower on AI and digital tools
    skills = [TopicSkill(topic=t, proficiency=rnd.randint(0, 2) if low else rnd.randint(2, 4), wish=3) for t in TOPICS]
    return participant_enrolled(programme_id, role, country=country, skills=skills, occurred_at=when)


def _session_answer(session_id: uuid.UUID, person: ParticipantEnrolled, seq: int,
                    rnd: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = {"session_id": str(session_id), "respondent_id": str(person.participant_id),
                            "rating": rnd.choice([3, 4, 4, 5, 5]), "would_recommend": rnd.random() < 0.9,
                            "comment": "We practised prompts", "modules_covered": [rnd.choice(TOPICS)]}
    if seq == 1:
        body["attitudes"] = [{"item": i, "score": rnd.randint(2, 4)} for i in ITEMS]
    return body


def _end_answer(pair_id: uuid.UUID, person: ParticipantEnrolled, rnd: random.Random) -> dict[str, Any]:
    senior = profile(person).role == "mentee"
    before = {s.topic: s.proficiency for s in profile(person).skills}
    return {
        "pair_id": str(pair_id), "respondent_id": str(person.participant_id),
        "would_recommend": rnd.random() < 0.93, "nps": rnd.choice([6, 7, 8, 9, 9, 10, 10]),
        "skills": [{"topic": t, "proficiency": min(4, before[t] + rnd.choice([0, 1, 1, 2] if senior else [0, 0, 1]))}
                   for t in TOPICS],
        "attitudes": [{"item": i, "score": rnd.randint(3, 5)} for i in ITEMS],
        "gains": ["relationship_to_work", "enthusiasm"] if senior else ["perspective", "network"],
        "comment": "Eye-opening",
    }


async def publish_all(kafka: Servers, sc: Scenario) -> None:
    """Publishes the scenario's events to the real broker, as enrollment and scheduling would."""
    from tests.kafka_probe import connection

    producer = AIOKafkaProducer(**connection(kafka), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for e in with_keys(*sc.events()):
            await producer.send(topic_for(e), e.model_dump_json().encode(), key=e.partition_key.encode())
        await producer.flush()
    finally:
        await producer.stop()
