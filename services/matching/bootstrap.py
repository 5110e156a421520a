"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from matching.adapters.mongo_unit_of_work import COLLECTIONS, MongoMatchingUnitOfWork, ensure_indexes
from matching.config import Settings
from matching.metrics import FIGURES, read_figures
from matching.unit_of_work import MatchingUnitOfWork
from shared.runtime import Services, compose


def bootstrap(settings: Settings) -> Services[MatchingUnitOfWork]:
    return compose(settings, COLLECTIONS, MongoMatchingUnitOfWork, ensure_indexes, (FIGURES, read_figures))
