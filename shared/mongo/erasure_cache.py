"""What a process remembers of its service's erasures between units of work: a unit of work reads one
document, the database's erasure epoch, instead of a tombstone and a data key per person it meets.

Every write that could make a remembered answer false is followed by a bump (`$inc`) of the epoch
document (`erasures/epoch`): a tombstone stored (shared/mongo/tombstones.py) and a data key destroyed
(shared/crypto/keyring.py), both in the erasure's own staged writes, so a failed bump fails the unit of
work and the redelivered erasure bumps again. A unit of work reads the epoch once, at its first question
about tombstones or keys; when it differs from the one the cache holds, the cache forgets its "not
erased" answers and its keys. A tombstone is never removed, so "erased" is remembered whatever the
epoch. Every table is an LRU bounded by `CACHED_PEOPLE` (evicting only costs a read). While the tombstones
are few (at most `EVERY_TOMBSTONE_MAX`), the process holds all of them at the epoch (`every`, one read of
the small `erasures` collection per epoch) and answers "not erased" for a person it never met without a
read: the set was read after an epoch read gave that value, and a tombstone is written before its bump,
so it holds every tombstone that value counts, as a read per person after the epoch read would.

Why this is no weaker than a tombstone read per question:
- an answer is cached only when the store read that produced it followed an epoch read giving the
  value the cache still holds, and a unit of work uses cached answers only when its own epoch read
  gives that value too (checked and filled without an `await` in between: no interleaving);
- so a unit of work whose epoch read follows an erasure's bump never sees a stale "not erased" or a
  destroyed key: the numbers differ, the cache is emptied, the store is read;
- a unit of work whose epoch read precedes the bump may act on the old answer, until its commit: the
  same window as today's read at the first question then the commit. Erasure already wins that race:
  the scrub moves every document's version, so such a writer fails its version check and its retry (a
  new unit of work) reads the new epoch. Another replica's erasure is seen at the next unit of work.

Within a consumer's batch the read is speculative once the process knows an epoch: the read is sent
and the batch goes on with the epoch the cache holds; its answer is awaited before the first write of
every commit (`confirm`, `UnitOfWork.check_before_commit`). Answers given under a cached epoch that the
read then finds unchanged are what that read would have given: the epoch only grows, so no bump came
between the read that cached them and this one. When it did change, the commit raises `EpochMoved` before
writing anything, the cache forgets, and the retry (`reread_epoch`) reads the epoch before answering, as
without speculation, so it cannot be refused twice: an erasure costs a unit of work it overtakes one of its
handler's attempts (and matching a pool load, the decision having changed the pool in memory). This
takes the epoch's round trip off an event's path: it travels while the handler decides.
A process's own erasure sets the cache to the epoch its bump returned, so it does not overtake itself.

A consumer reads the epoch once per polled batch, not per unit of work (`one_epoch_per_batch` in
erasure_batch.py, entered by shared/messaging/consumer.py around each batch): the batch's units of work
share one `EpochRead`, read at its first question. So an erasure committed by another process is
honoured from the next batch on: a batch is one unit of work as far as the epoch goes, and the argument
above holds with "batch" for "unit of work". An erasure applied by this process within the batch
updates the cache itself (tombstones.py, keyring.py), so the batch's later units see it at once. A
handler that raised (a lost version check among others) is retried on a fresh read (`reread_epoch`), as
a new unit of work would be.
"""

import asyncio
from collections import OrderedDict
from typing import Any
from weakref import WeakKeyDictionary

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

EPOCH_ID = "epoch"  # in the tombstone collection, whose other ids are hex digests
CACHED_PEOPLE = 50_000  # per table: ~10 MB each at most
EVERY_TOMBSTONE_MAX = 10_000  # ~1 MB held, one read of ~0.8 MB per erasure per process; above: a read per person


class Bounded:
    """An LRU map of at most `size` entries."""

    def __init__(self, size: int) -> None:
        self.size, self._items = size, OrderedDict[Any, Any]()

    def get(self, key: Any) -> Any:
        if key in self._items:
            self._items.move_to_end(key)
        return self._items.get(key)

    def put(self, key: Any, value: Any = True) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def pop(self, key: Any) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class ErasureCache:
    def __init__(self, size: int = CACHED_PEOPLE) -> None:
        self.epoch: int | None = None
        self.erased = Bounded(size)  # tombstone digests: true for ever
        self.alive = Bounded(size)  # digests without a tombstone at `epoch`
        self.keys = Bounded(size)  # participant id -> data key, at `epoch`
        self.every: frozenset[str] | None = None  # every tombstone, read after an epoch read gave `epoch`
        self.too_many_at: int | None = None  # the epoch at which there were too many to hold
        self.destroyed = 0  # keys this process destroyed: a key read overlapping one keeps nothing (keyring.py)
        self.loading = asyncio.Lock()

    def settle(self, epoch: int) -> None:
        if epoch != self.epoch:
            self.alive.clear()
            self.keys.clear()
            self.every = None
            self.epoch = epoch


_CACHES: "WeakKeyDictionary[AsyncDatabase, ErasureCache]" = WeakKeyDictionary()


def cache_of(db: AsyncDatabase) -> ErasureCache:
    """The process's cache for this database (the runtime keeps one database object for its life)."""
    if db not in _CACHES:
        _CACHES[db] = ErasureCache()
    return _CACHES[db]


async def bump(tombstones: Any, cache: ErasureCache | None = None) -> None:
    """Moves the epoch; with `cache`, the cache takes the epoch the bump made (it forgets its "not erased"
    answers and keys as any new epoch makes it, and the next batch's speculative read finds it current)."""
    # No projection: FerretDB v1 does not implement findAndModify's `fields` (the document is one number).
    doc = await tombstones.find_one_and_update({"_id": EPOCH_ID}, {"$inc": {"n": 1}}, upsert=True,
                                               return_document=ReturnDocument.AFTER)
    if cache is not None and doc is not None:
        cache.settle(max(int(doc["n"]), cache.epoch or 0))


class EpochMoved(Exception):
    """The epoch a batch went on with was not the stored one: the commit wrote nothing; retried."""


class EpochRead:
    """One unit of work's epoch: read once, shared by its tombstone and key questions. `speculative`
    (a consumer's batch): answered from the cache's epoch while the read travels (docstring above)."""

    def __init__(self, tombstones: Any, cache: ErasureCache, speculative: bool = False) -> None:
        self.tombstones, self.cache, self.speculative = tombstones, cache, speculative
        self.value: int | None = None
        self._reading = asyncio.Lock()  # concurrent first questions share one read
        self._stored: asyncio.Future[int] | None = None  # the speculative read's answer

    async def read(self) -> int:
        if self.value is None:
            if self.speculative and self.cache.epoch is not None:
                self.value = self.cache.epoch
                self._stored = asyncio.ensure_future(self._read_stored())
                self._stored.add_done_callback(self._settle)
                await asyncio.sleep(0)  # the read goes out now, and travels while the caller decides
                return self.value
            async with self._reading:
                if self.value is None:
                    self.value = await self._read_stored()
                    self.cache.settle(self.value)
        return self.value

    async def _read_stored(self) -> int:
        doc = await self.tombstones.find_one({"_id": EPOCH_ID}, {"n": 1})
        return int(doc["n"]) if doc else 0

    def _settle(self, stored: "asyncio.Future[int]") -> None:
        if not stored.cancelled() and stored.exception() is None and stored.result() != self.value:
            self.cache.settle(max(stored.result(), self.cache.epoch or 0))  # forgotten at once, committed or not

    async def confirm(self) -> None:
        """Before a commit's first write: raises EpochMoved when the epoch answered from was not the stored one."""
        if self._stored is not None and await asyncio.shield(self._stored) != self.value:
            raise EpochMoved(f"the erasure epoch moved past {self.value} while the batch was decided")

    @property
    def current(self) -> bool:
        """Whether the cache holds answers valid at this unit of work's epoch."""
        return self.value is not None and self.cache.epoch == self.value
