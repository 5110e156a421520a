"""Generated programmes with a realistic structure: 15 countries with their languages and time
zones, senior mentees and junior mentors, departments, reporting lines, skills and office hours."""

import random
import uuid

from matching.domain.model import Candidate, Skill, Slot
from matching.domain.programme import Policy, Programme

COUNTRIES = [  # country, time zone, local languages (English is spread on top)
    ("FR", "Europe/Paris", ["fr"]), ("DE", "Europe/Berlin", ["de"]), ("ES", "Europe/Madrid", ["es"]),
    ("IT", "Europe/Rome", ["it"]), ("GB", "Europe/London", ["en"]), ("PL", "Europe/Warsaw", ["pl"]),
    ("US", "America/New_York", ["en", "es"]), ("BR", "America/Sao_Paulo", ["pt"]),
    ("MX", "America/Mexico_City", ["es"]), ("IN", "Asia/Kolkata", ["en", "hi"]), ("CN", "Asia/Shanghai", ["zh"]),
    ("JP", "Asia/Tokyo", ["ja"]), ("SG", "Asia/Singapore", ["en", "zh"]), ("AU", "Australia/Sydney", ["en"]),
    ("MA", "Africa/Casablanca", ["fr", "ar"]),
]
TOPICS = ["ai-prompting", "copilot", "social-media", "data-literacy", "cybersecurity", "low-code",
          "collaboration-tools", "generative-images", "automation", "mobile-apps", "esg-data", "video"]
DEPARTMENTS = ["finance", "hr", "it", "marketing", "operations", "sales", "legal", "risk"]


def _availability(rng: random.Random) -> list[Slot]:
    days = rng.sample(range(5), rng.randint(2, 5))
    start = rng.choice([8, 9, 10, 13, 14])
    length = rng.choice([2, 3, 4])
    return [Slot(d, f"{start:02d}:00", f"{start + length:02d}:00") for d in sorted(days)]


def _person(rng: random.Random, programme_id: uuid.UUID, role: str, managers: list[uuid.UUID]) -> Candidate:
    country, tz, local = rng.choice(COUNTRIES)
    languages = list(local) + (["en"] if "en" not in local and rng.random() < 0.6 else [])
    junior = role == "mentor"
    skills = [Skill(t, rng.randint(2, 4) if junior else rng.randint(0, 2), 0 if junior else rng.randint(0, 4))
              for t in rng.sample(TOPICS, rng.randint(3, 6))]
    return Candidate(
        participant_id=uuid.UUID(int=rng.getrandbits(128)), programme_id=programme_id, role=role, country=country,
        languages=languages, time_zone=tz, seniority_level=rng.randint(1, 4) if junior else rng.randint(5, 10),
        availability=_availability(rng), department=rng.choice(DEPARTMENTS),
        manager_id=rng.choice(managers) if managers else None, skills=skills,
        must_match=not junior and rng.random() < 0.02)


def programme(mentees: int, mentors: int, max_capacity: int = 10, seed: int = 7,
              cross_border: bool = True) -> tuple[Programme, list[Candidate], dict[uuid.UUID, int]]:
    """A programme, its candidates (mentees first) and each mentor's capacity (1..max_capacity)."""
    rng = random.Random(seed)
    programme_id = uuid.UUID(int=rng.getrandbits(128))
    senior = [_person(rng, programme_id, "mentee", []) for _ in range(mentees)]
    managers = [c.participant_id for c in senior[: max(1, mentees // 20)]]
    junior = [_person(rng, programme_id, "mentor", managers) for _ in range(mentors)]
    for c in junior:
        c.capacity = rng.randint(1, max_capacity)
    capacity = {c.participant_id: c.capacity for c in junior}
    policy = Policy(mentor_capacity=max_capacity, same_country_only=not cross_border)
    return Programme(programme_id, policy, launched=True), senior + junior, capacity
