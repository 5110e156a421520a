"""One erasure epoch read per polled batch: the units of work of a consumer's batch share it
(shared/mongo/erasure_cache.py says why that keeps the erasure guarantee)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from shared.mongo.erasure_cache import EpochRead, ErasureCache


class _Batch:
    """The epoch reads of one polled batch, by cache; closed when the batch ends (a task it spawned
    and that outlives it reads its own epoch again)."""

    def __init__(self) -> None:
        self.reads: dict[int, EpochRead] = {}
        self.open = True
        self.speculative = True  # until a handler fails: its retry reads the epoch before answering


_BATCH: ContextVar[_Batch | None] = ContextVar("erasure_epoch_of_batch", default=None)


@contextmanager
def one_epoch_per_batch() -> Iterator[None]:
    """Within it, the units of work share one epoch read per database (the docstring says why)."""
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        yield
    finally:
        batch.open = False
        batch.reads.clear()
        _BATCH.reset(token)


def epoch_read(tombstones: Any, cache: ErasureCache) -> EpochRead:
    """The batch's epoch read for this cache, or the unit of work's own outside a batch."""
    batch = _BATCH.get()
    if batch is None or not batch.open:
        return EpochRead(tombstones, cache)
    if id(cache) not in batch.reads:
        batch.reads[id(cache)] = EpochRead(tombstones, cache, speculative=batch.speculative)
    return batch.reads[id(cache)]


def reread_epoch() -> None:
    """The batch's next unit of work reads the epoch again, and before answering (after a handler raised)."""
    batch = _BATCH.get()
    if batch is not None:
        batch.reads.clear()
        batch.speculative = False
