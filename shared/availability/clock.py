"""Local wall-clock time <-> UTC instants (epoch seconds), exactly, on every date of a zone.

A local date is covered by at most two constant-offset pieces (a daylight-saving change falls on
a handful of dates a year); an instant belongs to a local window when its own offset puts its wall
clock inside, so a window never leaks into a skipped hour or double-counts a repeated one.
"""

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 86_400
EPOCH = date(1970, 1, 1).toordinal()
REACH = 15 * 3600  # beyond every UTC offset in use (-12 h .. +14 h)


def base(ordinal: int) -> int:
    """Local midnight of the date read as if it were UTC (epoch seconds)."""
    return (ordinal - EPOCH) * DAY


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def offset_at(time_zone: str, instant: int) -> int:
    moment = datetime.fromtimestamp(instant, UTC).astimezone(zone(time_zone))
    return int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]


@lru_cache(maxsize=200_000)
def pieces(time_zone: str, ordinal: int) -> tuple[tuple[int, int, int], ...]:
    """(lo, hi, offset) pieces covering every instant whose local date may be `ordinal`."""
    lo, hi = base(ordinal) - REACH, base(ordinal) + DAY + REACH
    first, last = offset_at(time_zone, lo), offset_at(time_zone, hi - 1)
    if first == last:
        return ((lo, hi, first),)
    a, b = lo, hi - 1  # offset(a) == first, offset(b) == last: bisect to the change
    while b - a > 1:
        mid = (a + b) // 2
        if offset_at(time_zone, mid) == first:
            a = mid
        else:
            b = mid
    return ((lo, b, first), (b, hi, last))


def local_window(time_zone: str, ordinal: int, start: int, end: int) -> list[tuple[int, int]]:
    """UTC intervals of the instants whose wall clock on `ordinal` reads [start, end) minutes."""
    out = []
    for lo, hi, off in pieces(time_zone, ordinal):
        a, b = max(lo, base(ordinal) + start * 60 - off), min(hi, base(ordinal) + end * 60 - off)
        if a < b:
            out.append((a, b))
    return out


@lru_cache(maxsize=200_000)
def day_start(time_zone: str, ordinal: int) -> int:
    """The first instant whose local date is `ordinal` or later."""
    for lo, hi, off in pieces(time_zone, ordinal):
        candidate = max(lo, base(ordinal) - off)
        if candidate < hi:
            return candidate
    raise AssertionError("a local date always starts")  # pragma: no cover


def local_ordinal(time_zone: str, instant: int) -> int:
    return datetime.fromtimestamp(instant, UTC).astimezone(zone(time_zone)).toordinal()
