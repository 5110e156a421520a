"""An open "café": a session a programme publishes on a topic, which participants join up to a
capacity. Joining books the participant's calendar like any session, so a café never
double-books anyone."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID, uuid5


class CafeFull(Exception):
    pass


class CafeNotFound(Exception):
    pass


class ParticipantErased(Exception):
    """The participant was erased: nothing is booked for them again."""


class CafeMismatch(Exception):
    """The same café (programme, topic, start) was published before with other details."""


@dataclass
class Cafe:
    cafe_id: UUID
    programme_id: UUID
    topic: str
    starts_at: datetime
    duration_minutes: int
    capacity: int
    attendees: list[UUID] = field(default_factory=list)
    status: Literal["open", "cancelled"] = "open"
    version: int = 0

    @staticmethod
    def id_for(programme_id: UUID, topic: str, starts_at: datetime) -> UUID:
        # Deterministic, so re-sending the same publication is idempotent.
        return uuid5(programme_id, f"cafe:{topic}:{starts_at.isoformat()}")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def seats_left(self) -> int:
        return self.capacity - len(self.attendees)

    def same_as(self, other: "Cafe") -> bool:
        return (self.duration_minutes, self.capacity) == (other.duration_minutes, other.capacity)

    def join(self, participant_id: UUID) -> bool:
        """False when already in (an idempotent re-send)."""
        if participant_id in self.attendees:
            return False
        if self.seats_left <= 0:
            raise CafeFull(self.cafe_id)
        self.attendees.append(participant_id)
        return True
