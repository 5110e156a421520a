"""Weekly availability as UTC minute-of-week bit rows, so overlap across time zones is a dot product.

Slots are local; each zone is converted with its UTC offset on the programme's reference date.
Using one offset for the whole programme is acceptable because pairs meet weekly over a few months:
a daylight-saving change moves a window by one hour for part of the run, and scheduling places the
actual sessions on real dates in both members' zones.
"""

import itertools
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
from numba import njit

from matching.domain import parallel
from shared.availability import Profile, ProgrammeCalendar, Slot, compatible

RESOLUTION = 15  # minutes per bit; slots are rounded inwards so overlap is never overstated
WEEK = 7 * 24 * 60
BITS = WEEK // RESOLUTION
WORDS = -(-BITS // 64)
TABLE_CELLS_PER_THREAD = 1 << 20  # pairs of groups a thread takes at least


@lru_cache(maxsize=1024)
def utc_offset_minutes(time_zone: str, reference: date) -> int:
    moment = datetime(reference.year, reference.month, reference.day, 12, tzinfo=ZoneInfo(time_zone))
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


@lru_cache(maxsize=4096)
def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def week_matrix(schedules: list[list[tuple[int, str, str]]], offsets: list[int]) -> np.ndarray:
    """Bool (people, BITS): each person's weekly slots shifted to UTC, all people at once."""
    flat = [(row, weekday * 1440 + _minutes(start) - offset, weekday * 1440 + _minutes(end) - offset)
            for row, (slots, offset) in enumerate(zip(schedules, offsets, strict=True))
            for weekday, start, end in slots]
    width = BITS + 1
    diff = np.zeros(len(schedules) * width, dtype=np.int64)
    if flat:
        row, firsts, lasts = (np.array(x, dtype=np.int64) for x in zip(*flat, strict=True))
        first = -(-firsts // RESOLUTION)  # rounded inwards
        last = lasts // RESOLUTION
        keep = last > first
        row, first, last = row[keep], first[keep], last[keep]
        shift = first // BITS * BITS  # the week wraps: Sunday night meets Monday morning
        first, last = first - shift, last - shift
        wrapped = last > BITS
        cells = np.concatenate([row * width + first, row * width + np.minimum(last, BITS),
                                row[wrapped] * width, row[wrapped] * width + last[wrapped] - BITS])
        signs = np.concatenate([np.ones(len(row)), -np.ones(len(row)), np.ones(wrapped.sum()),
                                -np.ones(wrapped.sum())])
        diff += np.bincount(cells, weights=signs, minlength=len(diff)).astype(np.int64)
    return np.cumsum(diff.reshape(len(schedules), width), axis=1)[:, :BITS] > 0


def erode(bits: np.ndarray, minutes: int) -> np.ndarray:
    """Bit i stays set when a window of `minutes` starts there. Erosion commutes with intersection,
    so two people share such a window exactly when their eroded rows intersect."""
    width = max(1, -(-minutes // RESOLUTION))
    if width == 1:
        return bits.copy()
    # A window starts at i when the `width` steps from i (wrapping into next week) are all free.
    wrapped = np.concatenate([bits, bits[..., : width - 1]], axis=-1).astype(np.int32)
    free = np.cumsum(wrapped, axis=-1)
    free = np.concatenate([np.zeros((*bits.shape[:-1], 1), np.int32), free], axis=-1)
    return (free[..., width:] - free[..., :-width])[..., : bits.shape[-1]] == width


def _words(bits: np.ndarray) -> np.ndarray:
    """Bool rows packed into 64-bit words (zero-padded)."""
    packed = np.zeros((len(bits), WORDS * 8), np.uint8)
    packed[:, : BITS // 8] = np.packbits(bits, axis=1)
    return packed.view(np.uint64)


def compact(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same dot products a @ b.T over fewer columns: steps nobody on one side is free in are
    dropped, and identical steps (e.g. the four quarters of an hour everyone books whole) are merged,
    the merged column weighted by how many steps it stands for."""
    used = a.any(axis=0) & b.any(axis=0)
    both = np.concatenate([a[:, used], b[:, used]]).astype(bool)
    if both.shape[1] == 0:
        return np.zeros((len(a), 1), np.float32), np.zeros((len(b), 1), np.float32)
    packed = np.ascontiguousarray(np.packbits(both, axis=0).T)
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    columns = np.flatnonzero(used)[first]
    return a[:, columns] * counts.astype(np.float32)[None, :], b[:, columns].astype(np.float32)


class WeeklyAvailability:
    """The availability rule and criterion per *group* of people: the seam between matching and the
    availability model (`shared/availability`, issue 11). People with the same key (profile: zone,
    country, region, weekly slots) are interchangeable here, so compatibility is decided once per
    pair of keys, never per couple.

    The rule: with the programme's calendar, the programme's whole series of sessions fits both
    availabilities over its dates (`shared.availability.compatible`, per pair of groups); before the
    launch event gives the calendar, a common weekly window of `minutes`. The score's availability
    criterion is the common weekly minutes at the reference date's offsets.
    """

    def __init__(self, reference: date, minutes: int, calendar: ProgrammeCalendar | None = None) -> None:
        self.reference, self.minutes, self.calendar = reference, minutes, calendar
        self.ids: dict[Profile, int] = {}
        self.profiles: list[Profile] = []
        self._pending: list[tuple] = []
        self._bits = np.zeros((0, BITS), bool)
        self._offsets = np.zeros(0, np.float64)
        self._packed = np.zeros((0, BITS // 8), np.uint8)
        self._packed_fits = np.zeros((0, WORDS), np.uint64)
        self._week_ids: dict[bytes, int] = {}  # a UTC week of bits -> its id
        self._week = np.zeros(0, np.int64)  # per key: the id of its UTC week

    def key(self, time_zone: str, country: str, region: str | None, slots: tuple) -> int:
        """The group id of a person's availability (assigned on first sight, computed in batches)."""
        profile = Profile(time_zone, country, region, tuple(sorted(Slot.of(*s) for s in slots)))
        found = self.ids.get(profile)
        if found is None:
            found = self.ids[profile] = len(self.profiles)
            self.profiles.append(profile)
            self._pending.append((slots, utc_offset_minutes(time_zone, self.reference)))
        return found

    def _ready(self) -> None:
        if self._pending:
            bits = week_matrix([list(k[0]) for k in self._pending], [k[1] for k in self._pending])
            self._bits = np.concatenate([self._bits, bits])
            self._offsets = np.concatenate([self._offsets, [k[1] for k in self._pending]])
            self._packed = np.concatenate([self._packed, np.packbits(bits, axis=1)])
            self._packed_fits = np.concatenate([self._packed_fits, _words(erode(bits, self.minutes))])
            packed = self._packed[len(self._week):]
            weeks = [self._week_ids.setdefault(row.tobytes(), len(self._week_ids)) for row in packed]
            self._week = np.concatenate([self._week, np.array(weeks, np.int64)])
            self._pending = []

    @property
    def offsets(self) -> np.ndarray:
        """UTC offset in minutes per key (on the reference date: the time-zone criterion)."""
        self._ready()
        return self._offsets

    def distinct(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(representatives, index of each key's representative): keys whose table rows are the same
        share one. Without a calendar a key's row depends on its UTC week alone (its common minutes
        and windows with anyone: many keys differ only by country or zone with the same UTC hours);
        with one, its profile decides (holidays), so every key stands for itself."""
        self._ready()
        if self.calendar is not None:
            return keys, np.arange(len(keys))
        _, first, inverse = np.unique(self._week[keys], return_index=True, return_inverse=True)
        return keys[first], inverse.reshape(-1)

    def common_minutes(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Common weekly minutes of each couple of keys (a[i], b[i]): the table's, one couple at a
        time (a few couples need no table over every pair of their keys)."""
        self._ready()
        common = np.bitwise_count(self._packed[a] & self._packed[b]).sum(axis=1, dtype=np.int64)
        return common.astype(np.float64) * RESOLUTION

    def table(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For every pair of keys (a[i], b[j]): may they meet (bool), and their common weekly minutes
        (float32: whole minutes of one week, exact; no float64 copy of a table over every pair).
        Large tables are computed by row ranges on every core (the product and `meeting` release
        the GIL), each range written in place."""
        self._ready()
        a_bits, b_bits = compact(self._bits[a], self._bits[b])
        minutes = np.empty((len(a), len(b)), np.float32)
        # A common window of `minutes` needs that many common minutes: the windows are checked
        # (bit rows ANDed) only where the minutes allow one, not by a product over every pair.
        least = RESOLUTION * max(1, -(-self.minutes // RESOLUTION))
        a_fits, b_fits = self._packed_fits[a], self._packed_fits[b]
        windows = self.calendar is None
        meet = np.zeros((len(a), len(b)), bool) if windows else None  # with a calendar: `compatible` decides

        def rows(lo: int, hi: int) -> None:
            np.matmul(a_bits[lo:hi], b_bits.T, out=minutes[lo:hi])
            minutes[lo:hi] *= RESOLUTION
            if windows:
                meeting(minutes[lo:hi], least, a_fits[lo:hi], b_fits, meet[lo:hi])

        parts = parallel.THREADS if len(a) * len(b) >= TABLE_CELLS_PER_THREAD * parallel.THREADS else 1
        edges = np.linspace(0, len(a), parts + 1).astype(np.int64)
        parallel.run([(rows, (int(lo), int(hi))) for lo, hi in itertools.pairwise(edges)])
        if not windows:
            meet = compatible([self.profiles[i] for i in a], [self.profiles[j] for j in b], self.calendar)
            return np.asarray(meet, bool).reshape(len(a), len(b)), minutes
        return meet, minutes


@njit(cache=True, nogil=True)
def meeting(minutes, least, a_fits, b_fits, out):
    """out[i, j]: a window starts in both packed rows (64 steps a word), looked at only where the
    pair's common minutes reach `least`."""
    for i in range(minutes.shape[0]):
        for j in range(minutes.shape[1]):
            if minutes[i, j] >= least:
                for w in range(a_fits.shape[1]):
                    if a_fits[i, w] & b_fits[j, w]:
                        out[i, j] = True
                        break
