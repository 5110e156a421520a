"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

import functools

from matching.adapters.mongo_unit_of_work import RELAYED, MongoMatchingUnitOfWork, ensure_indexes
from matching.config import Settings
from matching.pools import PoolCache
from matching.unit_of_work import MatchingUnitOfWork
from shared.runtime import Services, compose


def bootstrap(settings: Settings) -> Services[MatchingUnitOfWork]:
    # One pool cache per process: decisions for a programme reuse its pool while its version holds.
    units = functools.partial(MongoMatchingUnitOfWork, cache=PoolCache())
    return compose(settings, RELAYED, units, ensure_indexes)
