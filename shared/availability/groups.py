"""Matching's question, for groups of people with identical profiles: can this mentee group and
this mentor group hold a whole series (the programme's sessions, each `session_minutes` long, on
the grid, `cadence_days` mentee-local days apart, inside the programme's dates and both
availabilities)? The same rules scheduling plans with, answered with bit arrays:

- each profile's *fits* row: one bit per grid step of the programme's UTC range, set where a whole
  session starting there is available (exact windows, then eroded by the session length);
- per mentee zone, the set steps re-laid by mentee-local date (a day holds at most 25 hours) and,
  for each step of the day, the dates packed as bits: a couple's dates with a common start are the OR over the
  day's steps of (mentee bits & mentor bits), visiting only steps someone is free at;
- a series exists iff for some first date every cadence-th date has one: shifted ANDs of bits.
"""

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from shared.availability.clock import REACH, base, day_start
from shared.availability.profile import Profile, ProgrammeCalendar
from shared.availability.windows import windows


def steps(cal: ProgrammeCalendar) -> tuple[int, int]:
    """[first, last) grid steps (UTC instant // grid) covering every local date of the programme."""
    grid = cal.rules.grid_minutes * 60
    return (base(cal.first) - REACH) // grid, -(-(base(cal.last + 1) + REACH) // grid)


def fits(profiles: Sequence[Profile], cal: ProgrammeCalendar) -> np.ndarray:
    """(len(profiles), steps + 1) bool: a whole session can start at that step (last column False)."""
    first, last = steps(cal)
    if not len(profiles):
        return np.zeros((0, last - first + 1), dtype=bool)
    return np.stack([_fits_row(p, cal) for p in profiles])


@lru_cache(maxsize=50_000)
def _fits_row(p: Profile, cal: ProgrammeCalendar) -> np.ndarray:
    grid, length = cal.rules.grid_minutes * 60, cal.session_minutes * 60
    first, last = steps(cal)
    width = last - first + 1
    w = windows(p, cal.first - 1, cal.last + 1, cal.rules)
    lo = -(-w[:, 0] // grid)
    hi = (w[:, 1] - length) // grid  # last start whose session ends inside
    keep = hi >= lo
    diff = np.zeros(width + 1, dtype=np.int8)  # merged windows: 0 or 1
    np.add.at(diff, np.clip(lo[keep] - first, 0, width), 1)
    np.add.at(diff, np.clip(hi[keep] - first + 1, 0, width), -1)
    out = np.cumsum(diff[:-1], dtype=np.int8) > 0
    out[-1] = False
    out.flags.writeable = False
    return out


@lru_cache(maxsize=512)
def day_starts(anchor_zone: str, cal: ProgrammeCalendar) -> np.ndarray:
    """(dates + 1,) the first grid step (relative to `steps(cal)[0]`) of each mentee-local date."""
    grid = cal.rules.grid_minutes * 60
    first, _ = steps(cal)
    return np.array([-(-day_start(anchor_zone, d) // grid) - first for d in range(cal.first, cal.last + 2)])


@lru_cache(maxsize=16)
def _set_steps(people: tuple[Profile, ...], cal: ProgrammeCalendar) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(who can hold a session at all, their row index, step) for every start step set in the fits."""
    f = fits(people, cal)
    able = np.flatnonzero(f.any(axis=1))
    person, step = np.nonzero(f[able])
    return able, person, step


def _by_slot(people: tuple[Profile, ...], starts: np.ndarray, cal: ProgrammeCalendar) -> np.ndarray:
    """(people able, steps of a day, words) uint64: for each step of the mentee-local day, the dates
    as bits. Built from the set steps only (a person is free a few hours a week)."""
    able, person, step = _set_steps(people, cal)
    dates, width = len(starts) - 1, 25 * 3600 // (cal.rules.grid_minutes * 60) + 1
    out = np.zeros((len(able), width, -(-dates // 64)), dtype=np.uint64)
    day = np.searchsorted(starts, step, side="right") - 1
    keep = (day >= 0) & (day < dates)
    person, step, day = person[keep], step[keep], day[keep]
    bit = np.left_shift(np.uint64(1), (day % 64).astype(np.uint64))
    np.bitwise_or.at(out, (person, step - starts[day], day // 64), bit)
    return out


def _shifted(x: np.ndarray, s: int) -> np.ndarray:
    """Date bits moved down by `s` (bit d of the result is bit d + s of x), across words."""
    q, r = divmod(s, 64)
    out = np.zeros_like(x)
    n = x.shape[-1]
    if q >= n:
        return out
    out[..., :n - q] = x[..., q:] >> np.uint64(r)
    if r and q + 1 < n:
        out[..., :n - q - 1] |= x[..., q + 1:] << np.uint64(64 - r)
    return out


def _layout(people: tuple[Profile, ...], zone_name: str, cal: ProgrammeCalendar) -> tuple[np.ndarray, np.ndarray]:
    """Who can hold a session at all, and their steps re-laid for one mentee zone; zones whose
    dates begin at the same instants (e.g. Paris and Berlin) share one layout."""
    starts = day_starts(zone_name, cal)
    return _set_steps(people, cal)[0], _cached_layout(people, starts.tobytes(), cal)


@lru_cache(maxsize=64)
def _cached_layout(people: tuple[Profile, ...], starts: bytes, cal: ProgrammeCalendar) -> np.ndarray:
    # Kept: continuous pairing asks for one newcomer against the same counterparts many times.
    return _by_slot(people, np.frombuffer(starts, dtype=np.int64), cal)


def compatible(mentees: Sequence[Profile], mentors: Sequence[Profile], cal: ProgrammeCalendar) -> np.ndarray:
    """(len(mentees), len(mentors)) bool: a whole series fits both (see the module docstring)."""
    out = np.zeros((len(mentees), len(mentors)), dtype=bool)
    anchors = cal.last - cal.first + 1 - cal.span_days
    if anchors <= 0 or not len(mentees) or not len(mentors):
        return out
    zones: dict[str, list[int]] = {}
    for i, p in enumerate(mentees):
        zones.setdefault(p.time_zone, []).append(i)
    for zone_name, members in zones.items():
        e_able, e = _layout(tuple(mentees[i] for i in members), zone_name, cal)
        able, m = _layout(tuple(mentors), zone_name, cal)
        rows = np.array(members)[e_able]
        has = np.zeros((len(rows), len(able), e.shape[-1]), dtype=np.uint64)
        e_on, m_on = e.any(axis=-1), m.any(axis=-1)  # (people, slots): any date at that step
        for w in np.flatnonzero(e_on.any(axis=0) & m_on.any(axis=0)):
            r, c = np.flatnonzero(e_on[:, w]), np.flatnonzero(m_on[:, w])
            has[np.ix_(r, c)] |= e[r, w][:, None, :] & m[c, w][None, :, :]
        ok = has.copy()
        for k in range(1, cal.sessions):
            ok &= _shifted(has, k * cal.cadence_days)
        mask = np.packbits(np.arange(ok.shape[-1] * 64) < anchors, bitorder="little").view("<u8")
        out[np.ix_(rows, able)] = (ok & mask).any(axis=-1)
    return out
