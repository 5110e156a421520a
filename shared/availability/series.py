"""A pair's series: the earliest start on each local date, and which dates a series takes.

The cadence is counted in the mentee's local calendar days: the senior's diary is the scarce one
and each session then falls on the same local weekday and time of their week, whatever the clocks
did in between. Session k is on local date anchor + (k - 1) * cadence_days, exactly.
"""

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from shared.availability.clock import day_start, local_ordinal
from shared.availability.profile import CalendarRules, Profile, ProgrammeCalendar
from shared.availability.windows import windows

Intervals = list[tuple[int, int]]


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
    """`a` without the (sorted) busy intervals; both sorted, so one pass over each."""
    out, j = [], 0
    for lo, hi in a:
        while j < len(busy) and busy[j][1] <= lo:
            j += 1
        k = j
        while k < len(busy) and busy[k][0] < hi:
            if busy[k][0] > lo:
                out.append((lo, busy[k][0]))
            lo = max(lo, busy[k][1])
            k += 1
        if lo < hi:
            out.append((lo, hi))
    return out


def common(profiles: Sequence[Profile], first: int, last: int, rules: CalendarRules) -> Intervals:
    """Instants every member is available, for local dates first-1..last+1 of anyone's zone."""
    free: Intervals | None = None
    for p in profiles:
        mine = list(map(tuple, windows(p, first - 1, last + 1, rules).tolist()))
        free = mine if free is None else intersect(free, mine)
    return free or []


def start_options(profiles: Sequence[Profile], anchor_zone: str, cal: ProgrammeCalendar, not_before: int,
                  busy: Sequence[tuple[int, int]] = (), first: int | None = None, last: int | None = None,
                  rules: CalendarRules | None = None) -> dict[int, int]:
    """Anchor-zone local date -> the earliest grid instant that day when everyone is free for a
    whole session (not before `not_before`, clear of `busy`)."""
    rules = rules or cal.rules
    first = max(first or cal.first, local_ordinal(anchor_zone, not_before))
    last = min(last or cal.last, cal.last)
    grid, length = rules.grid_minutes * 60, cal.session_minutes * 60
    best: dict[int, int] = {}
    if first > last:
        return best
    for lo, hi in subtract(common(profiles, first, last, rules), sorted(busy)):
        t = -(-max(lo, not_before) // grid) * grid
        while t + length <= hi:
            day = local_ordinal(anchor_zone, t)
            if day > last:
                break
            if day >= first:
                best.setdefault(day, t)
            t = max(t + grid, -(-day_start(anchor_zone, day + 1) // grid) * grid)
    return best


def choose_anchor(available: set[int] | dict[int, int], cal: ProgrammeCalendar, first: int) -> int | None:
    """The earliest first date whose whole series is available; else the one placing the most
    sessions (earliest among equals); None when no date is available at all."""
    if not available:
        return None
    step, n = cal.cadence_days, cal.sessions
    anchors = np.arange(first, max(first, cal.last - cal.span_days) + 1)
    count = sum(np.isin(anchors + k * step, list(available)).astype(np.int64) for k in range(n))
    whole = np.flatnonzero(count == n)
    if len(whole):
        return int(anchors[whole[0]])
    best = int(np.argmax(count))
    return int(anchors[best]) if count[best] > 0 else None


def why_not(profiles: Sequence[Profile], anchor_zone: str, cal: ProgrammeCalendar, day: int,
            not_before: int) -> str:
    """Why no session fits on local date `day` (once the calendars were found full there)."""
    if day > cal.last:
        return "after_programme_end"
    if start_options(profiles, anchor_zone, cal, not_before, first=day, last=day):
        return "fully_booked"
    any_day = replace(cal.rules, weekend_days=(), holidays="none")
    if start_options(profiles, anchor_zone, cal, not_before, first=day, last=day, rules=any_day):
        return "only_weekends_or_holidays"
    return "no_common_availability"
