"""Small, readable candidates and programmes for matching's unit tests."""

import random
import uuid

from matching.domain.commands import AddCandidate, Withdraw
from matching.domain.model import Candidate, Skill, Slot
from matching.domain.programme import Policy, Programme

WORKDAYS = [Slot(d, "09:00", "17:00") for d in range(5)]


def person(role: str, programme: uuid.UUID, languages=("fr",), seniority: int | None = None, **kw) -> Candidate:
    fields = {"country": "FR", "time_zone": "Europe/Paris", "availability": list(WORKDAYS)}
    return Candidate(participant_id=uuid.uuid4(), programme_id=programme, role=role, languages=list(languages),
                     seniority_level=seniority if seniority is not None else (2 if role == "mentor" else 8),
                     **{**fields, **kw})


def programme(**policy) -> Programme:
    return Programme(uuid.uuid4(), Policy(**policy), launched=True)


def enrolled(c: Candidate) -> AddCandidate:
    return AddCandidate(c, correlation_id=uuid.uuid4(), causation_id=uuid.uuid4())


def withdrawn(c: Candidate) -> Withdraw:
    return Withdraw(c.participant_id, c.programme_id, correlation_id=uuid.uuid4(), causation_id=uuid.uuid4())


def skills(**levels: tuple[int, int]) -> list[Skill]:
    """topic=(proficiency, wish)"""
    return [Skill(topic.replace("_", "-"), p, w) for topic, (p, w) in levels.items()]


ZONES = [("FR", "Europe/Paris"), ("JP", "Asia/Tokyo"), ("US", "America/New_York")]


def random_person(rng: random.Random, role: str, programme: uuid.UUID) -> Candidate:
    """Someone of three countries and zones, French and/or English, one random day, two random skills."""
    country, zone = rng.choice(ZONES)
    day = rng.randrange(5)
    return person(role, programme, languages=rng.choice([("fr",), ("en",), ("fr", "en")]),
                  country=country, time_zone=zone, availability=[Slot(day, "08:00", "20:00")],
                  skills=skills(ai=(rng.randrange(5), rng.randrange(3)), go=(rng.randrange(5), rng.randrange(3))))


def counted_calls(monkeypatch, owner: type, name: str) -> list[int]:
    """A list that grows by one at each call of owner.name (the method still runs)."""
    calls: list[int] = []
    original = getattr(owner, name)

    def counted(self, *args):
        calls.append(1)
        return original(self, *args)

    monkeypatch.setattr(owner, name, counted)
    return calls
