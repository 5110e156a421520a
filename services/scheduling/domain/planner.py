"""Where a pair can meet: both members inside their availability (shared availability model:
their own zone, working days, holidays, the programme's grid), clear of their other bookings.

`options` gives the earliest start on every mentee-local date of the programme (the series is
chosen from them); `first` finds the first free grid step from an instant, for changes.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property

from shared.availability import (
    Profile,
    ProgrammeCalendar,
    covers,
    day_start,
    intersect,
    local_ordinal,
    start_options,
    subtract,
    windows,
)
from shared.availability import why_not as why_not_on_date

Intervals = list[tuple[int, int]]


@dataclass(frozen=True)
class Attendee:
    profile: Profile
    busy: tuple[tuple[int, int], ...] = ()


def _epoch(t: datetime) -> int:
    return int(t.timestamp())


def free_windows(attendees: Sequence[Attendee], cal: ProgrammeCalendar, skip_days: bool = True) -> Intervals:
    rules = cal.rules if skip_days else replace(cal.rules, weekend_days=(), holidays="none")
    free: Intervals | None = None
    for a in attendees:
        mine = list(map(tuple, windows(a.profile, cal.first - 1, cal.last + 1, rules).tolist()))
        free = mine if free is None else intersect(free, mine)
    return free or []


def first_slot(attendees: Sequence[Attendee], earliest: datetime, minutes: int, cal: ProgrammeCalendar,
               until: int | None = None, skip_days: bool = True, busy: Sequence[tuple[int, int]] = ()) -> int | None:
    """The first grid instant >= earliest (and < until; default: the programme's end) where every
    attendee is available for `minutes` and clear of `busy`."""
    grid, length = cal.rules.grid_minutes * 60, minutes * 60
    start = -(-_epoch(earliest) // grid) * grid
    end = until if until is not None else day_start(attendees[-1].profile.time_zone, cal.last + 1)
    for lo, hi in subtract(free_windows(attendees, cal, skip_days), busy):
        if hi <= start:
            continue
        t = -(-max(lo, start) // grid) * grid
        if t >= end:
            return None
        if t + length <= hi:
            return t
    return None


@dataclass
class Finder:
    """The `SlotFinder` of a pair (mentor first, the host of group meetings; the mentee's zone
    counts the cadence). `groups`: the host's open meetings (key, start, end, pairs in it)."""

    attendees: tuple[Attendee, ...]
    cal: ProgrammeCalendar
    groups: tuple[tuple[str, int, int, int], ...] = ()
    capacity: int = 1

    @property
    def anchor_zone(self) -> str:
        return self.attendees[-1].profile.time_zone

    @cached_property
    def busy(self) -> list[tuple[int, int]]:
        return sorted(b for a in self.attendees for b in a.busy)

    @property
    def profiles(self) -> list[Profile]:
        return [a.profile for a in self.attendees]

    def options(self, not_before: datetime, with_bookings: bool = True) -> dict[int, int]:
        busy = self.busy if with_bookings else ()
        return start_options(self.profiles, self.anchor_zone, self.cal, _epoch(not_before), busy)

    def first(self, earliest: datetime, minutes: int, exact: bool = False) -> datetime | None:
        until = _epoch(earliest) + 1 if exact else None
        found = first_slot(self.attendees, earliest, minutes, self.cal, until, busy=self.busy)
        if found is None or (exact and found != _epoch(earliest)):
            return None
        return datetime.fromtimestamp(found, UTC)

    def shared_on(self, group_key: str, ordinal: int, not_before: datetime) -> datetime | None:
        """The earliest open meeting of the host for `group_key` on that mentee-local date that
        every attendee can attend."""
        length = self.cal.session_minutes * 60
        for key, start, end, pairs in self.groups:
            if key != group_key or pairs >= self.capacity or end - start != length or start < _epoch(not_before) \
                    or local_ordinal(self.anchor_zone, start) != ordinal:
                continue
            others = [b for b in self.busy if b != (start, end)]
            if all(covers(windows(a.profile, self.cal.first - 1, self.cal.last + 1, self.cal.rules), start, end)
                   for a in self.attendees) and not any(lo < end and start < hi for lo, hi in others):
                return datetime.fromtimestamp(start, UTC)
        return None

    def programme_start(self, ordinal: int) -> int:
        """The instant the mentee's local date `ordinal` begins."""
        return day_start(self.anchor_zone, ordinal)

    def why_not_on(self, ordinal: int, not_before: datetime) -> str:
        return why_not_on_date(self.profiles, self.anchor_zone, self.cal, ordinal, _epoch(not_before))

    def why_not(self, earliest: datetime, minutes: int) -> str:
        """A reason a person can act on when `first` found nothing (for changes to a series)."""
        if first_slot(self.attendees, earliest, minutes, self.cal, skip_days=False) is None:
            return (f"no_common_availability: the members' availability never overlaps for {minutes} minutes "
                    f"from {earliest:%Y-%m-%d} to the programme's end (each in their own time zone)")
        if first_slot(self.attendees, earliest, minutes, self.cal) is None:
            return (f"only_weekends_or_holidays: the members only overlap on weekends or public holidays from "
                    f"{earliest:%Y-%m-%d} to the programme's end")
        return (f"fully_booked: every common {minutes}-minute slot from {earliest:%Y-%m-%d} to the programme's end "
                f"is taken by the members' other sessions")
