from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from scheduling.domain.model import PairSchedule, SessionPlan


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
