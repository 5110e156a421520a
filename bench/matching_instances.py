"""Generated programmes with a realistic structure: 15 countries with their languages and time
zones, senior mentees and junior mentors, departments, reporting lines, skills and office hours.

`programme`: the bench generator (mentees and mentors only). `cross_programme`: the second one, with
bilingual people, `both` participants on both sides (cross mentoring) and reporting lines among
everyone (managers are enrolled seniors; colleagues share managers)."""

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


def _languages(rng: random.Random, local: list[str]) -> list[str]:
    languages = list(local)
    if "en" not in languages and rng.random() < 0.7:
        languages.append("en")
    if rng.random() < 0.3:  # bilingual: a language of another country
        other = rng.choice(COUNTRIES)[2][0]
        if other not in languages:
            languages.append(other)
    return languages


def _cross_person(rng: random.Random, programme_id: uuid.UUID, role: str, senior: bool,
                  managers: list[uuid.UUID]) -> Candidate:
    country, tz, local = rng.choice(COUNTRIES)
    seniority = {"mentor": (1, 4), "mentee": (5, 10)}.get(role, (4, 8) if senior else (2, 5))
    skills = []
    for topic in rng.sample(TOPICS, rng.randint(3, 6)):
        if role == "mentor" or (role == "both" and rng.random() < 0.5):
            skills.append(Skill(topic, rng.randint(2 if role == "mentor" else 3, 4), 0))
        else:
            skills.append(Skill(topic, rng.randint(0, 1 if role == "both" else 2), rng.randint(1 if role == "both"
                                                                                                else 0, 4)))
    return Candidate(
        participant_id=uuid.UUID(int=rng.getrandbits(128)), programme_id=programme_id, role=role, country=country,
        languages=_languages(rng, local), time_zone=tz, seniority_level=rng.randint(*seniority),
        availability=_availability(rng), department=rng.choice(DEPARTMENTS),
        manager_id=rng.choice(managers) if managers else None, skills=skills,
        must_match=senior and rng.random() < 0.02)


def cross_programme(seniors: int, juniors: int, seed: int = 7, both_seniors: float = 0.1,
                    both_juniors: float = 0.3, max_capacity: int = 10) -> tuple[Programme, list[Candidate]]:
    """Seniors (10 % `both`) and juniors (30 % `both`); one senior in 20 manages a team."""
    rng = random.Random(seed)
    programme_id = uuid.UUID(int=rng.getrandbits(128))
    managers = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(max(1, seniors // 20))]
    senior = [_cross_person(rng, programme_id, "both" if rng.random() < both_seniors else "mentee", True, managers)
              for _ in range(seniors)]
    for c, manager in zip(senior, managers, strict=False):  # the managers are enrolled seniors themselves
        c.participant_id, c.manager_id = manager, None
    junior = [_cross_person(rng, programme_id, "both" if rng.random() < both_juniors else "mentor", False, managers)
              for _ in range(juniors)]
    for c in junior:
        if c.role == "mentor":
            c.capacity = rng.randint(1, max_capacity)
    return Programme(programme_id, Policy(mentor_capacity=max_capacity), launched=True), senior + junior
