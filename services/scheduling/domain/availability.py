"""Weekly availability in a participant's own IANA time zone.

Windows are turned into UTC intervals day by day, converting each local boundary with zoneinfo
(rather than shifting slots by a fixed offset), which keeps plans right across daylight-saving
changes. `allows` re-checks a candidate instant by instant, so a boundary that falls into a
skipped or repeated local hour can never let a session out of the window.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 86_400


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


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=200_000)
def _utc_window(time_zone: str, ordinal: int, start_min: int, end_min: int) -> tuple[int, int]:
    """The UTC epoch seconds of a local window on one local day (cached: zones repeat a lot)."""
    day = date.fromordinal(ordinal)
    tz = zone(time_zone)

    def at(minute: int) -> int:
        local = datetime.combine(day + timedelta(days=minute // 1440), time(0), tz)
        local = local.replace(hour=(minute % 1440) // 60, minute=minute % 60)
        return int(local.timestamp())

    return at(start_min), at(end_min)


@dataclass(frozen=True)
class WeeklyAvailability:
    time_zone: str
    slots: tuple[Slot, ...]

    def allows(self, start_utc: datetime, minutes: int) -> bool:
        tz = zone(self.time_zone)
        local_start = start_utc.astimezone(tz)
        local_end = (start_utc + timedelta(minutes=minutes)).astimezone(tz)
        return any(slot.contains(local_start, local_end) for slot in self.slots)

    def local_date(self, epoch: int) -> date:
        return datetime.fromtimestamp(epoch, UTC).astimezone(zone(self.time_zone)).date()

    def windows(self, start: int, end: int, skip_day) -> list[tuple[int, int]]:
        """UTC intervals (epoch seconds) of this availability overlapping [start, end), minus the
        local days `skip_day(date)` rules out (weekends, public holidays)."""
        first, last = self.local_date(start) - timedelta(days=1), self.local_date(end)
        out: list[tuple[int, int]] = []
        for ordinal in range(first.toordinal(), last.toordinal() + 1):
            weekday = (ordinal + 6) % 7  # date.fromordinal(1) is a Monday
            slots = [s for s in self.slots if s.weekday == weekday]
            if not slots or skip_day(date.fromordinal(ordinal)):
                continue
            for s in slots:
                lo, hi = _utc_window(self.time_zone, ordinal, _minutes(s.start), _minutes(s.end))
                if hi > start and lo < end:
                    out.append((max(lo, start), min(hi, end)))
        out.sort()
        return out
