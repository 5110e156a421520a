from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from scheduling.domain.model import Member, SessionPlan, Timing
from scheduling.domain.pair import PairSchedule


@dataclass(frozen=True)
class RegisterProgramme:
    programme_id: UUID
    plan: SessionPlan
    correlation_id: UUID
    causation_id: UUID


@dataclass(frozen=True)
class PlanPair:
    pair: PairSchedule
    correlation_id: UUID
    causation_id: UUID


@dataclass(frozen=True)
class CompleteSession:
    session_id: UUID
    actual_minutes: int
    completed_at: datetime
    correlation_id: UUID
    modules_covered: tuple[int, ...] = ()


@dataclass(frozen=True)
class MarkMissed:
    session_id: UUID
    correlation_id: UUID


@dataclass(frozen=True)
class RescheduleSession:
    session_id: UUID
    starts_at: datetime
    now: datetime
    correlation_id: UUID


@dataclass(frozen=True)
class CancelSession:
    session_id: UUID
    now: datetime
    replan: bool
    correlation_id: UUID


@dataclass(frozen=True)
class EndParticipation:
    """A participant withdrew (every pair of theirs in the programme) or a pair was dissolved."""

    participant_id: UUID | None
    pair_id: UUID | None
    programme_id: UUID
    reason: str  # "participant_withdrew" | "pair_dissolved"
    now: datetime
    correlation_id: UUID
    causation_id: UUID


@dataclass(frozen=True)
class UpdateMember:
    """A participant's enrollment changed: their data as pairs hold it, as of `now`."""

    member: Member
    programme_id: UUID
    now: datetime
    correlation_id: UUID
    causation_id: UUID


@dataclass(frozen=True)
class Tick:
    now: datetime
    timing: Timing
    correlation_id: UUID
    batch: int = 200


@dataclass(frozen=True)
class PublishCafe:
    programme_id: UUID
    topic: str
    starts_at: datetime
    duration_minutes: int
    capacity: int
    correlation_id: UUID


@dataclass(frozen=True)
class JoinCafe:
    cafe_id: UUID
    participant_id: UUID
    correlation_id: UUID
