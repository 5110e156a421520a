"""Weekly availability in a participant's own IANA time zone, checked instant by instant.

Converting each candidate instant to local time (rather than shifting slots by a fixed offset)
is what keeps plans right across daylight-saving changes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Slot:
    weekday: int
    start: str
    end: str

    def contains(self, local_start: datetime, local_end: datetime) -> bool:
        if local_start.weekday() != self.weekday:
            return False
        start = _minute_of_day(local_start)
        end = _minute_of_day(local_end) + 24 * 60 * (local_end.date() - local_start.date()).days
        return _minutes(self.start) <= start and end <= _minutes(self.end)


def _minute_of_day(t: datetime) -> int:
    return t.hour * 60 + t.minute


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class WeeklyAvailability:
    time_zone: str
    slots: tuple[Slot, ...]

    def allows(self, start_utc: datetime, minutes: int) -> bool:
        zone = ZoneInfo(self.time_zone)
        local_start = start_utc.astimezone(zone)
        local_end = (start_utc + timedelta(minutes=minutes)).astimezone(zone)
        return any(slot.contains(local_start, local_end) for slot in self.slots)
