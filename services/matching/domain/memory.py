"""Giving a round's temporary memory back to the system as it goes, so its peak is its largest
working set, not the sum of every phase's.

- `Column`: stored couples in anonymous memory whose unused tail can be handed back. The listing
  allocates for every couple it might keep and fills a prefix (two threads: two prefixes, the
  second moved down after the first); pages written past the final end would otherwise stay
  resident for the life of the round.
- `trim`: the compiled loops' arrays (the listing's bucket lists: ~0.8 GB at 100,000 x 10,000 on
  the cross generator) are allocated by glibc's malloc in the threads' arenas, which keep freed
  memory resident; `malloc_trim` returns it.
"""

import ctypes
import ctypes.util
import mmap

import numpy as np

try:
    _malloc_trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc: nothing to trim
    _malloc_trim = None


def trim() -> None:
    if _malloc_trim is not None:
        _malloc_trim(0)


class Column:
    def __init__(self, size: int, dtype) -> None:
        self.dtype = np.dtype(dtype)
        # private: MADV_DONTNEED frees private anonymous pages (a shared mapping would keep them)
        self._map = mmap.mmap(-1, max(1, size * self.dtype.itemsize), flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.array = np.frombuffer(self._map, self.dtype, size)

    def keep(self, used: int) -> np.ndarray:
        """The first `used` entries; the pages wholly past them are returned to the system."""
        start = -(-used * self.dtype.itemsize // mmap.PAGESIZE) * mmap.PAGESIZE
        if start < len(self._map):
            self._map.madvise(mmap.MADV_DONTNEED, start, len(self._map) - start)
        return self.array[:used]
