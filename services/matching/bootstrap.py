"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from prometheus_client import Counter

from matching.adapters.mongo_unit_of_work import RELAYED, MatchingUnitsOfWork, ensure_indexes
from matching.config import Settings
from matching.domain.pool import Pool
from matching.domain.warmup import warm
from matching.metrics import FIGURES, read_figures
from matching.pools import PoolCache
from matching.unit_of_work import MatchingUnitOfWork
from shared.heap import settle
from shared.runtime import Runtime, Services, compose

# People in a loaded pool from which the heap is settled (shared/heap.py): a smaller pool adds a few ms
# to a full pass, less than the collection itself would cost on every first use of a programme.
LARGE_POOL = 1_000


def bootstrap(settings: Settings, cache: PoolCache | None = None) -> Services[MatchingUnitOfWork]:
    # One pool cache per process: decisions for a programme reuse its pool while its version holds.
    cache = cache or PoolCache()
    warm()  # the round's compiled loops, loaded before the first round rather than during it
    services = compose(settings, RELAYED, MatchingUnitsOfWork(cache), ensure_indexes,
                       (FIGURES, read_figures))
    loads = _pool_loads(services.runtime)

    def loaded(pool: Pool) -> None:
        loads.inc()
        if len(pool.roster) >= LARGE_POOL:
            settle()  # its objects out of the collector's full passes (shared/heap.py)

    cache.on_load = loaded
    return services


def _pool_loads(runtime: Runtime) -> Counter:
    return Counter("matching_pool_loads", "Times a programme's pool was read from the store (first use of a "
                   "programme in this process, or a decision by another instance)", registry=runtime.registry)
