"""The round's compiled loops on every core: the listing's blocks and the certificate's scans split
over threads (the kernels release the GIL: `nogil=True`), each part written where the one-thread
run would write it, so the result is the same couples, values and order whatever the thread count.

A round is single-threaded elsewhere (OR-Tools' flow, the Python glue): what the threads cut is the
wall time of the two loops over every stored couple, not the CPU time.
"""

import itertools
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit

from matching.domain.scan_kernels import at_or_above, entering

THREADS = max(1, min(4, len(os.sched_getaffinity(0))))  # the cores this process may use
PER_THREAD = 1 << 19  # couples a thread takes at least (below, handing work to a thread costs more than it saves)
_pool: ThreadPoolExecutor | None = None


def run(tasks: list) -> list:
    """Runs the (function, args) tasks, in threads when there are several; results in task order."""
    global _pool
    if THREADS == 1 or len(tasks) < 2:
        return [f(*args) for f, args in tasks]
    if _pool is None:
        _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="matching-kernel")
    return [future.result() for future in [_pool.submit(f, *args) for f, args in tasks]]


def split(start: np.ndarray, parts: int) -> list[tuple[int, int]]:
    """Takers 0..len(start)-1 in `parts` contiguous ranges of about as many couples each (fewer when
    a part would hold fewer than PER_THREAD couples)."""
    takers = len(start) - 1
    parts = max(1, min(parts, int(start[-1]) // PER_THREAD))
    cuts = np.searchsorted(start, np.linspace(0, start[-1], parts + 1)[1:-1])
    edges = np.unique(np.concatenate([[0], np.clip(cuts, 0, takers), [takers]]))
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges)]


def entering_all(start, giver, value, q_t, q_g, factor, threshold, inside, per_taker, base):
    """`scan_kernels.entering` over every taker, its takers split over the threads (the same result:
    each taker's choice is its own; the parts' positions follow each other)."""
    ranges = split(start, THREADS) or [(0, 0)]
    parts = run([(entering, (start[a:b + 1], giver, value, q_t[a:b], q_g, factor, threshold, inside, per_taker, base))
                 for a, b in ranges])
    index = np.concatenate([p[0] for p in parts])
    taker = np.concatenate([p[1] + a for p, (a, _) in zip(parts, ranges, strict=True)])
    slack = np.concatenate([p[2] for p in parts])
    return index, taker, slack, any(p[3] for p in parts)


def at_or_above_all(start, giver, value, bin_width, taker_cut, giver_cut):
    """`scan_kernels.at_or_above` over every taker, split over the threads (positions ascending)."""
    ranges = split(start, THREADS) or [(0, 0)]
    return np.concatenate(run([(at_or_above, (start[a:b + 1], giver, value, bin_width, taker_cut[a:b], giver_cut))
                               for a, b in ranges]))


@njit(cache=True, nogil=True)
def move_down(column, source, target, count):
    """column[target:target + count] = column[source:source + count] for target <= source, in place
    (forward, so an overlap is safe; numpy would copy the whole source first)."""
    for k in range(count):
        column[target + k] = column[source + k]
