"""Weekly availability in a participant's own IANA time zone.

Windows are turned into UTC intervals day by day, converting each local boundary with zoneinfo
(rather than shifting slots by a fixed offset), which keeps plans right across daylight-saving
changes. `allows` re-checks a candidate instant by instant, so a boundary that falls into a
skipped or repeated local hour can never let a session out of the window.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from scheduling.domain.working_days import is_working_day

DAY = 86_400
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


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


@lru_cache(maxsize=4096)
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

    @cached_property
    def _by_weekday(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        return tuple(tuple(sorted((_minutes(s.start), _minutes(s.end)) for s in self.slots if s.weekday == d))
                     for d in range(7))

    @cached_property
    def _days(self) -> dict[tuple[str | None, int], tuple[tuple[int, int], ...]]:
        return {}

    def windows(self, start: int, end: int, country: str | None) -> list[tuple[int, int]]:
        """UTC intervals (epoch seconds) of this availability overlapping [start, end), leaving out
        local weekends and public holidays of `country` (None: every day counts)."""
        by_weekday, days = self._by_weekday, self._days
        # Local days that can overlap [start, end) in any zone (offsets stay within +-14 h).
        first, last = EPOCH_ORDINAL + (start - 15 * 3600) // DAY, EPOCH_ORDINAL + (end + 15 * 3600) // DAY
        out: list[tuple[int, int]] = []
        for ordinal in range(first, last + 1):
            day = days.get((country, ordinal))
            if day is None:
                day_slots = by_weekday[(ordinal + 6) % 7]  # date.fromordinal(1) is a Monday
                day = days[(country, ordinal)] = _day(self.time_zone, country, day_slots, ordinal) if day_slots else ()
            for lo, hi in day:
                if hi > start and lo < end:
                    out.append((max(lo, start), min(hi, end)))
        return out


@lru_cache(maxsize=500_000)
def _day(time_zone: str, country: str | None, day_slots: tuple[tuple[int, int], ...],
         ordinal: int) -> tuple[tuple[int, int], ...]:
    if country is not None and not is_working_day(country, date.fromordinal(ordinal)):
        return ()
    return tuple(_utc_window(time_zone, ordinal, lo, hi) for lo, hi in day_slots)
