"""A member's weekly availability as stored with the pair: local slots in their IANA zone.

Everything computed from it (UTC windows, weekends, national and regional holidays, the grid)
is the shared availability model (`shared/availability`), the same one matching decides with.
"""

from dataclasses import dataclass

from shared.availability import Profile
from shared.availability import Slot as LocalSlot


@dataclass(frozen=True)
class Slot:
    weekday: int
    start: str
    end: str


@dataclass(frozen=True)
class WeeklyAvailability:
    time_zone: str
    slots: tuple[Slot, ...]

    def profile(self, country: str, region: str | None) -> Profile:
        return Profile(self.time_zone, country, region,
                       tuple(sorted(LocalSlot.of(s.weekday, s.start, s.end) for s in self.slots)))
