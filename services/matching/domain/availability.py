"""Weekly availability as UTC minute-of-week bit rows, so overlap across time zones is a dot product.

Slots are local; each zone is converted with its UTC offset on the programme's reference date.
Using one offset for the whole programme is acceptable because pairs meet weekly over a few months:
a daylight-saving change moves a window by one hour for part of the run, and scheduling places the
actual sessions on real dates in both members' zones.
"""

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

RESOLUTION = 15  # minutes per bit; slots are rounded inwards so overlap is never overstated
WEEK = 7 * 24 * 60
BITS = WEEK // RESOLUTION


@lru_cache(maxsize=1024)
def utc_offset_minutes(time_zone: str, reference: date) -> int:
    moment = datetime(reference.year, reference.month, reference.day, 12, tzinfo=ZoneInfo(time_zone))
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def week_matrix(schedules: list[list[tuple[int, str, str]]], offsets: list[int]) -> np.ndarray:
    """Bool (people, BITS): each person's weekly slots shifted to UTC, all people at once."""
    rows, firsts, lasts = [], [], []
    for row, (slots, offset) in enumerate(zip(schedules, offsets, strict=True)):
        for weekday, start, end in slots:
            rows.append(row)
            firsts.append(weekday * 1440 + _minutes(start) - offset)
            lasts.append(weekday * 1440 + _minutes(end) - offset)
    diff = np.zeros((len(schedules), BITS + 1), dtype=np.int32)
    if rows:
        row = np.array(rows)
        first = -(-np.array(firsts) // RESOLUTION)  # rounded inwards
        last = np.array(lasts) // RESOLUTION
        keep = last > first
        row, first, last = row[keep], first[keep], last[keep]
        shift = first // BITS * BITS  # the week wraps: Sunday night meets Monday morning
        first, last = first - shift, last - shift
        inside = np.minimum(last, BITS)
        np.add.at(diff, (row, first), 1)
        np.add.at(diff, (row, inside), -1)
        wrapped = last > BITS
        np.add.at(diff, (row[wrapped], np.zeros(wrapped.sum(), dtype=np.int64)), 1)
        np.add.at(diff, (row[wrapped], last[wrapped] - BITS), -1)
    return np.cumsum(diff, axis=1)[:, :BITS] > 0


def erode(bits: np.ndarray, minutes: int) -> np.ndarray:
    """Bit i stays set when a window of `minutes` starts there. Erosion commutes with intersection,
    so two people share such a window exactly when their eroded rows intersect."""
    width = max(1, -(-minutes // RESOLUTION))
    out = bits.copy()
    for shift in range(1, width):
        out &= np.roll(bits, -shift, axis=-1)
    return out


def compact(a: np.ndarray, b: np.ndarray, weighted: bool) -> tuple[np.ndarray, np.ndarray]:
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
    weights = counts.astype(np.float32) if weighted else np.ones(len(first), np.float32)
    columns = np.flatnonzero(used)[first]
    return a[:, columns] * weights[None, :], b[:, columns].astype(np.float32)
