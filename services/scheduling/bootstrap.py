"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from scheduling.adapters.mongo_unit_of_work import COLLECTIONS, MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.config import Settings
from scheduling.metrics import FIGURES, read_figures
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.runtime import Services, compose


def bootstrap(settings: Settings) -> Services[SchedulingUnitOfWork]:
    return compose(settings, COLLECTIONS, MongoSchedulingUnitOfWork, ensure_indexes, (FIGURES, read_figures))
