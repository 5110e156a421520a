"""Keeps the garbage collector's full passes from walking objects that live as long as the process.

CPython's oldest-generation pass visits every tracked object; a service holds a hundred thousand of
them from its imports and its app, and matching adds hundreds of thousands more per loaded pool (at
10,000 x 1,000 that pass took 300 ms in the middle of whichever arrival triggered it:
docs/benchmarks.md). `settle` collects once and freezes what is left: frozen objects are skipped by
every later pass (reference counting still frees them). It unfreezes first, so objects frozen by an
earlier settle and dropped since (a pool replaced by a new load) are collected too.
"""

import gc


def settle() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()
