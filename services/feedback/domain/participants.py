"""What feedback keeps of an enrollment: the report's grouping keys and the skills baseline."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class Participant:
    participant_id: UUID
    programme_id: UUID
    role: str  # mentor | mentee | both, as enrolled
    country: str
    seniority_level: int
    enrolled_at: datetime
    skills: dict[str, int]  # topic -> proficiency 0-4 given at enrollment

    @property
    def cohort(self) -> str:
        """Cohort = the calendar month (UTC) of enrollment, e.g. "2026-03": people who started together."""
        return f"{self.enrolled_at.year:04d}-{self.enrolled_at.month:02d}"


@dataclass(frozen=True)
class PlannedSession:
    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    mentor_id: UUID
    mentee_id: UUID
