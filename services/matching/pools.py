"""Each programme's pool kept in memory between decisions, confirmed current by the programme
document's version.

A programme's decisions already run one at a time in this process (staging.py), and every one of
them writes the programme document with a version check, so "the version I last wrote" proves
that nobody else changed the programme since: the pool in memory is the stored one, and a decision
costs the decision's own rows instead of reading every candidate and pair. When the version
differs (first use, another instance decided, a failed commit), the pool is loaded again.

The programme as this process's last decision wrote it is kept beside its pool: the next decision
starts from it instead of reading the store, and its version-checked write is the only check. When
another instance wrote meanwhile (or an erasure scrubbed the document: that moves the version too),
the write fails, the unit of work drops the copy, and the decision is made once more from the store
(staging.py), as if it had read it.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from matching.domain.pool import Pool
from matching.domain.programme import Programme

Loader = Callable[[Programme], Awaitable[Pool]]


@dataclass
class _Entry:
    version: int
    pool: Pool
    programme: Programme | None = None  # as this process wrote it at `version`


class PoolCache:
    """Per process (one per composition root)."""

    def __init__(self, on_load: Callable[[Pool], None] = lambda pool: None) -> None:
        self.entries: dict[UUID, _Entry] = {}
        self.loads = 0  # how many times a pool was read from the store (observability, tests)
        self.loads_of: dict[UUID, int] = {}
        self.on_load = on_load


class CachedPools:
    """A unit of work's view of the cache: what it touched is dropped unless its commit succeeds."""

    def __init__(self, cache: PoolCache, load: Loader) -> None:
        self.cache, self.load = cache, load
        self.touched: dict[UUID, tuple[Pool, int]] = {}  # pool -> its change count when first seen
        self.copied: set[UUID] = set()  # programmes a decision took from the copy (staging.py retries those once)

    async def current(self, programme: Programme) -> Pool:
        pid = programme.programme_id
        entry = self.cache.entries.get(pid)
        if entry is None or entry.version != programme.version:
            self.cache.entries.pop(pid, None)
            entry = _Entry(programme.version, await self.load(programme))
            self.cache.loads += 1
            self.cache.loads_of[pid] = self.cache.loads_of.get(pid, 0) + 1
            self.cache.on_load(entry.pool)
            self.cache.entries[pid] = entry
        self.touched.setdefault(pid, (entry.pool, entry.pool.changes))
        entry.pool.follow(programme)
        return entry.pool

    def written(self, programme_id: UUID) -> Programme | None:
        """The programme as this process's last decision wrote it (a copy to change), while its pool is kept."""
        entry = self.cache.entries.get(programme_id)
        if entry is None or entry.programme is None or entry.programme.version != entry.version:
            return None
        self.copied.add(programme_id)
        return entry.programme.copy()

    def committed_version(self, programme_id: UUID) -> int | None:
        """The programme document's version this process's last decision wrote (its pool kept), if any."""
        entry = self.cache.entries.get(programme_id)
        return entry.version if entry is not None and entry.programme is not None else None

    def committed(self, programme: Programme) -> None:
        """The programme document now stands at `programme.version`, written with this pool's changes."""
        entry = self.cache.entries.get(programme.programme_id)
        if entry is not None:
            entry.version = programme.version
            entry.programme = programme.copy()

    def forget(self, programme_id: UUID) -> None:
        self.cache.entries.pop(programme_id, None)

    def settle(self) -> None:
        """Every staged write succeeded: the pools touched are the stored ones."""
        self.touched.clear()

    def abandon(self) -> None:
        """The unit of work did not commit: pools it changed in memory are dropped, and the programmes
        it touched are read from the store next time (its write may have failed on a newer version)."""
        for pid, (pool, changes) in self.touched.items():
            if pool.changes != changes:
                self.cache.entries.pop(pid, None)
            elif pid in self.cache.entries:
                self.cache.entries[pid].programme = None
        self.touched.clear()
