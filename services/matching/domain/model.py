"""A programme's candidate pool, its policy and the pairs made from it."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Literal, NamedTuple
from uuid import NAMESPACE_URL, UUID, uuid5

Role = Literal["mentor", "mentee", "both"]
Mode = Literal["continuous", "rounds"]
DEFAULT_WEIGHTS = {"complementarity": 0.6, "availability": 0.25, "time_zone": 0.15}
# Without a launch event yet, every programme uses the same winter reference week (deterministic).
DEFAULT_REFERENCE_DATE = date(2026, 1, 5)


class Slot(NamedTuple):  # a tuple: cheap to hash, so a week's bits are cached per pattern
    weekday: int
    start: str
    end: str


class Skill(NamedTuple):
    topic: str
    proficiency: int
    wish: int = 0


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
    department: str | None = None
    manager_id: UUID | None = None
    skills: list[Skill] = field(default_factory=list)
    must_match: bool = False
    withdrawn: bool = False
    capacity: int | None = None  # seats when this mentor differs from the programme's capacity
    version: int = 0

    def can_mentor(self) -> bool:
        return self.role in ("mentor", "both")

    def can_be_mentored(self) -> bool:
        return self.role in ("mentee", "both")

    @property
    def rank(self) -> tuple[int, UUID]:
        # Orders a cross pair: the junior of two `both` participants is labelled the mentor.
        return (self.seniority_level, self.participant_id)


@dataclass(frozen=True)
class Policy:
    mentor_capacity: int = 1
    same_country_only: bool = False
    exclude_reporting_line: bool = True
    exclude_same_department: bool = False
    min_overlap_minutes: int = 60
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    reference_date: date = DEFAULT_REFERENCE_DATE

    def normalised_weights(self) -> dict[str, float]:
        return _normalised(tuple(sorted(self.weights.items())))


@lru_cache(maxsize=256)
def _normalised(weights: tuple[tuple[str, float], ...]) -> dict[str, float]:
    """Unknown criteria are ignored, missing ones take their default, negatives count as 0."""
    given = dict(weights)
    raw = {k: max(0.0, float(given.get(k, DEFAULT_WEIGHTS[k]))) for k in DEFAULT_WEIGHTS}
    total = sum(raw.values()) or 1.0
    return {k: v / total for k, v in raw.items()}


@dataclass(frozen=True)
class PairRule:
    mentor_id: UUID
    mentee_id: UUID
    kind: Literal["pinned", "forbidden"]


@dataclass
class Programme:
    programme_id: UUID
    policy: Policy = field(default_factory=Policy)
    launched: bool = False
    mode: Mode = "continuous"
    rules: list[PairRule] = field(default_factory=list)
    pending_round_id: UUID | None = None
    version: int = 0

    @property
    def pairs_on_enrollment(self) -> bool:
        """Continuous mode pairs newcomers at once, except while a previewed round awaits publication."""
        return self.mode == "continuous" and self.pending_round_id is None


@dataclass
class Proposal:
    mentor_id: UUID
    mentee_id: UUID
    language: str
    score: float
    breakdown: dict[str, float]
    directions: dict[str, str]
    pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    participant_id: UUID
    reason: str


@dataclass
class Pair:
    pair_id: UUID
    programme_id: UUID
    mentor_id: UUID
    mentee_id: UUID
    country: str
    language: str
    score: float
    breakdown: dict[str, float] = field(default_factory=dict)
    directions: dict[str, str] = field(default_factory=dict)
    status: Literal["active", "dissolved"] = "active"
    version: int = 0

    @property
    def active(self) -> bool:
        return self.status == "active"

    def members(self) -> tuple[UUID, UUID]:
        return (self.mentor_id, self.mentee_id)

    @staticmethod
    def id_for(programme_id: UUID, mentor_id: UUID, mentee_id: UUID) -> UUID:
        # Deterministic: a replay cannot make a second pair, and a dissolved couple keeps its id forever.
        return uuid5(NAMESPACE_URL, f"binome:pair:{programme_id}:{mentor_id}:{mentee_id}")


@dataclass
class Round:
    """A previewed assignment a programme manager publishes (or discards) as a whole."""

    round_id: UUID
    programme_id: UUID
    proposals: list[Proposal]
    unmatched: list[Unmatched]
    objective: int
    must_matched: int
    status: Literal["preview", "published", "discarded"] = "preview"
    published_pairs: int = 0
    version: int = 0
