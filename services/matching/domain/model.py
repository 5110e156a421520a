"""A programme's candidate pool, the proposals of a round and the pairs made from them."""

from dataclasses import dataclass, field
from typing import Literal, NamedTuple
from uuid import UUID

Role = Literal["mentor", "mentee", "both"]


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
    region: str | None = None  # ISO 3166-2: regional public holidays
    version: int = 0

    def can_mentor(self) -> bool:
        return self.role in ("mentor", "both")

    def can_be_mentored(self) -> bool:
        return self.role in ("mentee", "both")

    @classmethod
    def tombstone(cls, participant_id: UUID, programme_id: UUID) -> "Candidate":
        """Stands for a withdrawal seen before the enrollment, so the late enrollment is ignored."""
        return cls(participant_id, programme_id, "mentee", "", [], "UTC", 0, withdrawn=True)

    @property
    def rank(self) -> tuple[int, UUID]:
        # Orders a cross pair: the junior of two `both` participants is labelled the mentor.
        return (self.seniority_level, self.participant_id)


@dataclass(frozen=True)
class Override:
    """A manager's recorded decision to pair a couple despite the hard rules it breaks."""

    by: str
    reason: str
    rules: tuple[str, ...]  # the hard rules the couple broke when the decision was recorded


@dataclass
class Proposal:
    mentor_id: UUID
    mentee_id: UUID
    language: str  # a language both speak ("" only under an override of `no_shared_language`)
    score: float
    breakdown: dict[str, float]
    directions: dict[str, str]
    pinned: bool = False
    override: Override | None = None


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
    override: Override | None = None
    version: int = 0

    @property
    def active(self) -> bool:
        return self.status == "active"

    def members(self) -> tuple[UUID, UUID]:
        return (self.mentor_id, self.mentee_id)


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
