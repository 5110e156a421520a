"""Candidates in a programme's pool and the pairs made from them (foundation rule set).

A pair is a mentor and a mentee of the same programme who share a working language. The full
rule set, scoring and optimal rounds are the matching issue's; this is the minimal happy path.
"""

from dataclasses import dataclass, field
from typing import Literal
from uuid import NAMESPACE_URL, UUID, uuid5

Role = Literal["mentor", "mentee", "both"]


@dataclass(frozen=True)
class Slot:
    weekday: int
    start: str
    end: str


@dataclass
class Candidate:
    participant_id: UUID
    programme_id: UUID
    role: Role
    country: str
    languages: list[str]
    time_zone: str
    seniority_level: int
    availability: list[Slot] = field(default_factory=list)
    pair_id: UUID | None = None
    version: int = 0

    @property
    def is_free(self) -> bool:
        return self.pair_id is None

    def can_mentor(self) -> bool:
        return self.role in ("mentor", "both")

    def can_be_mentored(self) -> bool:
        return self.role in ("mentee", "both")


@dataclass
class Pair:
    pair_id: UUID
    programme_id: UUID
    mentor_id: UUID
    mentee_id: UUID
    country: str
    language: str
    score: float
    version: int = 0

    @staticmethod
    def id_for(programme_id: UUID, mentor_id: UUID, mentee_id: UUID) -> UUID:
        # Deterministic, so replaying the enrollment that made this pair cannot make a second one.
        return uuid5(NAMESPACE_URL, f"binome:pair:{programme_id}:{mentor_id}:{mentee_id}")


@dataclass(frozen=True)
class Proposal:
    mentor: Candidate
    mentee: Candidate
    language: str
    score: float


def propose_pair(newcomer: Candidate, pool: list[Candidate]) -> Proposal | None:
    """Best free counterpart for the newcomer; ties broken by participant id so replays agree."""
    proposals = []
    for other in sorted(pool, key=lambda c: str(c.participant_id)):
        if other.participant_id == newcomer.participant_id or not other.is_free:
            continue
        if other.programme_id != newcomer.programme_id:
            continue
        for mentor, mentee in ((newcomer, other), (other, newcomer)):
            if mentor.can_mentor() and mentee.can_be_mentored():
                proposal = _proposal(mentor, mentee)
                if proposal:
                    proposals.append(proposal)
    return max(proposals, key=lambda p: p.score, default=None)


def _proposal(mentor: Candidate, mentee: Candidate) -> Proposal | None:
    shared = [lang for lang in mentee.languages if lang in mentor.languages]
    if not shared:
        return None
    # Reverse mentoring: prefer a junior mentor for a senior mentee; sharing more languages helps.
    seniority_gap = max(0, mentee.seniority_level - mentor.seniority_level) / 10
    language_overlap = len(shared) / len(set(mentor.languages) | set(mentee.languages))
    return Proposal(mentor, mentee, shared[0], round(0.7 * seniority_gap + 0.3 * language_overlap, 4))
