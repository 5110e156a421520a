"""After a settle (shared/heap.py: at a service's start, after matching loads a large pool), the objects
alive are out of the collector's full passes: the pass that took 300-1,100 ms in the middle of an
arrival (docs/benchmarks.md) no longer walks them."""

import gc

from shared.heap import settle


def test_objects_alive_at_the_load_are_frozen_and_garbage_before_it_is_collected():
    gc.unfreeze()
    pool = [[n] for n in range(20_000)]  # stands for a loaded pool's many small objects
    cycle: list = []
    cycle.append(cycle)  # garbage only a collection frees
    del cycle
    try:
        settle()
        assert gc.get_freeze_count() >= len(pool)
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        assert not any(id(row) in oldest for row in pool[::1000])  # a full pass does not visit them
        assert gc.collect() == 0  # the cycle was collected before freezing, not frozen with the rest
    finally:
        gc.unfreeze()
