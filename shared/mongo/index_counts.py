"""The business gauges' reads of a programme's index counts, kept between the monitor's refreshes.

The operations monitor shows each programme's counts every 15 s. Re-reading the 16 counts documents
of every programme at each refresh was most of what an idle platform cost its store (0.5 % of a core
with one programme, bench/idle_store.py; more with each programme). Counts change only when an index
page is written: this process notes each programme it writes (ProgrammeIndex), and a refresh reads
again only those, and any programme whose counts it read more than `max_age_s` ago (another replica
of the service may have written them: its figures then lag by that much at most).
"""

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

MAX_AGE_S = 300.0
# "<database>.<collection>" of the index pages -> programmes written by this process since last read
_written: defaultdict[str, set[str]] = defaultdict(set)
# the same key -> programme -> (when read, the counts read)
_read: defaultdict[str, dict[str, tuple[float, Counter[tuple[str, ...]]]]] = defaultdict(dict)


def note_written(pages: Any, programme_id: Any) -> None:
    """Called once a page and its counts are written (after, so a read that follows sees them)."""
    _written[pages.full_name].add(str(programme_id))


async def recent_counts(index: Any, programme_id: Any, max_age_s: float = MAX_AGE_S,
                        clock: Callable[[], float] = time.monotonic) -> Counter[tuple[str, ...]]:
    """`index.counts(programme_id)`, read again only when this process wrote the programme since, or
    when the last read is older than `max_age_s`."""
    key, programme = index.pages.full_name, str(programme_id)
    cached = _read[key].get(programme)
    if cached is not None and programme not in _written[key] and clock() - cached[0] < max_age_s:
        return cached[1]
    _written[key].discard(programme)  # before the read: a write landing meanwhile notes it again
    counts = await index.counts(programme_id)
    _read[key][programme] = (clock(), counts)
    return counts
