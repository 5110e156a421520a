"""One document per participant holding every session they are booked into, across pairs,
cafés and programmes: the place double-booking is prevented.

There are no multi-document transactions, so a booking is claimed by a version-checked write of
this one document before the pair (or café) that owns it is saved; a concurrent writer loses the
version check and its use case is retried on fresh state.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from uuid import UUID


@dataclass(frozen=True)
class Booking:
    session_id: UUID
    owner_id: UUID  # the pair or café the session belongs to
    starts_at: datetime
    ends_at: datetime
    group_key: str | None = None

    @cached_property
    def span(self) -> tuple[int, int]:
        """Epoch seconds, what the planner works in."""
        return int(self.starts_at.timestamp()), int(self.ends_at.timestamp())

    def overlaps(self, other: "Booking") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at

    def same_meeting(self, other: "Booking") -> bool:
        return (self.group_key is not None and self.group_key == other.group_key
                and (self.starts_at, self.ends_at) == (other.starts_at, other.ends_at))


class DoubleBooking(Exception):
    def __init__(self, participant_id: UUID, session_id: UUID) -> None:
        super().__init__(f"participant {participant_id} is already booked at that time (session {session_id})")
        self.participant_id, self.session_id = participant_id, session_id


@dataclass
class ParticipantCalendar:
    participant_id: UUID
    bookings: list[Booking] = field(default_factory=list)
    version: int = 0

    def busy(self, except_owner: UUID | None = None) -> list[tuple[int, int]]:
        """Booked intervals in epoch seconds, leaving out the owner being re-planned."""
        return sorted(b.span for b in self.bookings if b.owner_id != except_owner)

    def sync(self, owner_id: UUID, wanted: list[Booking]) -> bool:
        """Makes the owner's bookings exactly `wanted`; returns False when nothing changes."""
        others = [b for b in self.bookings if b.owner_id != owner_id]
        for b in wanted:
            clash = next((o for o in others if o.overlaps(b) and not o.same_meeting(b)), None)
            if clash is not None:
                raise DoubleBooking(self.participant_id, clash.session_id)
        mine = sorted((b for b in self.bookings if b.owner_id == owner_id), key=lambda b: b.starts_at)
        if mine == sorted(wanted, key=lambda b: b.starts_at):
            return False
        self.bookings = sorted([*others, *wanted], key=lambda b: b.starts_at)
        return True

    def groups(self, except_owner: UUID) -> list[tuple[str, int, int, int]]:
        """Group meetings booked here (key, start, end, how many pairs), for joining one."""
        counts: dict[tuple[str, int, int], int] = {}
        for b in self.bookings:
            if b.group_key is not None and b.owner_id != except_owner:
                key = (b.group_key, int(b.starts_at.timestamp()), int(b.ends_at.timestamp()))
                counts[key] = counts.get(key, 0) + 1
        return sorted(((k, s, e, n) for (k, s, e), n in counts.items()), key=lambda g: g[1])

    def agenda(self, start: datetime | None, end: datetime | None) -> list[Booking]:
        return [b for b in self.bookings
                if (start is None or b.ends_at > start) and (end is None or b.starts_at < end)]
