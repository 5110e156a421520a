"""Keeps the garbage collector's full passes off the arrivals' path.

A loaded pool is hundreds of thousands of long-lived objects (candidates, pairs, their arrays'
owners); CPython's oldest-generation pass walks every one of them, and at 10,000 x 1,000 that pass
took 300 ms in the middle of whichever arrival triggered it (bench.matching_service). After a load
the heap is collected once and frozen: frozen objects are left out of every later pass (reference
counting still frees them). Unfrozen first, so a pool replaced by this load is collected.
"""

import gc

# People in a loaded pool from which the heap is settled: a smaller one adds a few ms to a full pass,
# less than the collection itself would cost on every first use of a programme.
LARGE_POOL = 1_000


def settle_after_load() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()
