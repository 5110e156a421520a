"""Finds the first 30-minute step where every member is free: inside each one's weekly
availability in their own zone, on a working day of their country, and clear of their bookings.

Availability is turned into UTC intervals once per search window (cached per zone and day)
and intersected, instead of probing each 30-minute step with time-zone conversions.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

from scheduling.domain.availability import WeeklyAvailability
from scheduling.domain.working_days import is_working_day

STEP = 1800
CHUNK = 3 * 86_400
HORIZON = timedelta(days=28)

Intervals = list[tuple[int, int]]


@dataclass(frozen=True)
class Attendee:
    country: str
    availability: WeeklyAvailability
    busy: tuple[tuple[int, int], ...] = ()


def intersect(a: Intervals, b: Intervals) -> Intervals:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: Intervals, busy: Sequence[tuple[int, int]]) -> Intervals:
    out = []
    for lo, hi in a:
        for b_lo, b_hi in busy:
            if b_hi <= lo or b_lo >= hi:
                continue
            if b_lo > lo:
                out.append((lo, b_lo))
            lo = max(lo, b_hi)
            if lo >= hi:
                break
        if lo < hi:
            out.append((lo, hi))
    return out


def _fits(a: Attendee, start: int, minutes: int, skip_days: bool) -> bool:
    if not a.availability.allows(datetime.fromtimestamp(start, UTC), minutes):
        return False
    return not skip_days or is_working_day(a.country, a.availability.local_date(start))


def merged_busy(attendees: Sequence[Attendee]) -> list[tuple[int, int]]:
    return sorted(b for a in attendees for b in a.busy)


def first_slot(attendees: Sequence[Attendee], earliest: datetime, minutes: int, horizon: timedelta = HORIZON,
               skip_days: bool = True, use_busy: bool = True,
               busy: Sequence[tuple[int, int]] | None = None) -> datetime | None:
    start = -(-int(earliest.timestamp()) // STEP) * STEP
    end = start + int(horizon.total_seconds())
    length = minutes * 60
    if not use_busy:
        busy = []
    elif busy is None:
        busy = merged_busy(attendees)
    for chunk in range(start, end, CHUNK):
        chunk_end = min(chunk + CHUNK, end)
        free: Intervals | None = None
        for a in attendees:
            windows = a.availability.windows(chunk, chunk_end + length, a.country if skip_days else None)
            free = windows if free is None else intersect(free, windows)
        for lo, hi in subtract(free or [], busy):
            t = -(-lo // STEP) * STEP
            while t + length <= hi and t < chunk_end:
                if all(_fits(a, t, minutes, skip_days) for a in attendees):
                    return datetime.fromtimestamp(t, UTC)
                t += STEP
    return None


def why_not(attendees: Sequence[Attendee], earliest: datetime, minutes: int, horizon: timedelta = HORIZON) -> str:
    """A reason a person can act on when `first_slot` found nothing."""
    days = horizon.days
    if first_slot(attendees, earliest, minutes, horizon, skip_days=False, use_busy=False) is None:
        return (f"no_common_availability: the members' weekly availability never overlaps for {minutes} "
                f"minutes within {days} days of {earliest:%Y-%m-%d} (each in their own time zone)")
    if first_slot(attendees, earliest, minutes, horizon, use_busy=False) is None:
        return (f"only_weekends_or_holidays: the members only overlap on weekends or public holidays "
                f"within {days} days of {earliest:%Y-%m-%d}")
    return (f"fully_booked: every common {minutes}-minute slot within {days} days of {earliest:%Y-%m-%d} "
            f"is taken by the members' other sessions")


@dataclass
class Finder:
    """The `SlotFinder` of a set of attendees (their bookings already in `busy`); the first
    attendee is the host (mentor) whose open group meetings (`groups`: key, start, end, pairs
    already in it) a pair may join while fewer than `capacity` pairs are in."""

    attendees: tuple[Attendee, ...]
    groups: tuple[tuple[str, int, int, int], ...] = ()
    capacity: int = 1

    @cached_property
    def busy(self) -> list[tuple[int, int]]:
        return merged_busy(self.attendees)

    def first(self, earliest: datetime, minutes: int, exact: bool = False) -> datetime | None:
        if exact:
            found = first_slot(self.attendees, earliest, minutes, timedelta(seconds=1), busy=self.busy)
            return found if found == earliest else None
        return first_slot(self.attendees, earliest, minutes, busy=self.busy)

    def why_not(self, earliest: datetime, minutes: int) -> str:
        return why_not(self.attendees, earliest, minutes)

    def shared(self, group_key: str, earliest: datetime, minutes: int) -> datetime | None:
        """The earliest open meeting of the host for `group_key` that every attendee can attend."""
        lo, hi = int(earliest.timestamp()), int((earliest + HORIZON).timestamp())
        for key, start, end, pairs in self.groups:
            if key != group_key or pairs >= self.capacity or not lo <= start < hi or end - start != minutes * 60:
                continue
            host, *others = self.attendees
            joining = (Attendee(host.country, host.availability, tuple(b for b in host.busy if b != (start, end))),
                       *others)
            at = datetime.fromtimestamp(start, UTC)
            if first_slot(joining, at, minutes, timedelta(seconds=1)) == at:
                return at
        return None
