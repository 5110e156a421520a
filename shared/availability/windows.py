"""A person's availability as concrete UTC intervals over a range of their local dates.

Built with arrays: a date with one UTC offset (all but about two a year) turns each slot into
`base + minute - offset`; dates with a daylight-saving change go through the exact piecewise
conversion. Adjacent windows merge (a slot ending at 24:00 joins one starting at 00:00 the next
day), so a session may span them: what counts is that every instant of it is available.
"""

from functools import lru_cache

import numpy as np

from shared.availability.clock import DAY, EPOCH, local_window, pieces
from shared.availability.days import non_working
from shared.availability.profile import CalendarRules, Profile


@lru_cache(maxsize=4096)
def _zone_days(time_zone: str, first: int, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ordinals = np.arange(first, last + 1, dtype=np.int64)
    offsets = np.zeros(len(ordinals), dtype=np.int64)
    single = np.ones(len(ordinals), dtype=bool)
    for i, ordinal in enumerate(range(first, last + 1)):
        parts = pieces(time_zone, ordinal)
        offsets[i] = parts[0][2]
        single[i] = len(parts) == 1
    return ordinals, offsets, single


@lru_cache(maxsize=4096)
def _working(country: str, region: str | None, rules: CalendarRules, first: int, last: int) -> np.ndarray:
    return np.array([not non_working(country, region, rules, d) for d in range(first, last + 1)], dtype=bool)


@lru_cache(maxsize=8192)
def windows(profile: Profile, first: int, last: int, rules: CalendarRules) -> np.ndarray:
    """(k, 2) int64 [lo, hi) epoch seconds, sorted and merged, for local dates first..last."""
    ordinals, offsets, single = _zone_days(profile.time_zone, first, last)
    working = _working(profile.country, profile.region, rules, first, last)
    weekday = (ordinals + 6) % 7  # date.fromordinal(1) is a Monday
    los, his = [], []
    for slot in profile.slots:
        on = working & (weekday == slot.weekday)
        plain = on & single
        start = (ordinals[plain] - EPOCH) * DAY - offsets[plain]
        los.append(start + slot.start * 60)
        his.append(start + slot.end * 60)
        for ordinal in ordinals[on & ~single]:
            for lo, hi in local_window(profile.time_zone, int(ordinal), slot.start, slot.end):
                los.append(np.array([lo]))
                his.append(np.array([hi]))
    return merge(np.concatenate(los) if los else np.zeros(0, np.int64),
                 np.concatenate(his) if his else np.zeros(0, np.int64))


def merge(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    keep = hi > lo
    lo, hi = lo[keep], hi[keep]
    if len(lo) == 0:
        return np.zeros((0, 2), np.int64)
    order = np.argsort(lo, kind="stable")
    lo, hi = lo[order], hi[order]
    reach = np.maximum.accumulate(hi)
    starts = np.flatnonzero(np.r_[True, lo[1:] > reach[:-1]])
    return np.stack([lo[starts], np.maximum.reduceat(hi, starts)], axis=1).astype(np.int64)


def covers(intervals: np.ndarray, start: int, end: int) -> bool:
    """True when [start, end) lies inside one merged interval."""
    i = int(np.searchsorted(intervals[:, 0], start, side="right")) - 1
    return i >= 0 and intervals[i, 1] >= end

