"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from collections.abc import Callable
from datetime import UTC, datetime

from scheduling.adapters.mongo_unit_of_work import COLLECTIONS, MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.config import Settings
from scheduling.metrics import FIGURES, read_figures
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.runtime import Services, compose


def bootstrap(settings: Settings, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
              ) -> Services[SchedulingUnitOfWork]:
    def unit_of_work(db, on_commit) -> MongoSchedulingUnitOfWork:
        # The ticker's agenda files pairs with the service's own timing and clock.
        return MongoSchedulingUnitOfWork(db, on_commit, settings.timing, clock)

    return compose(settings, COLLECTIONS, unit_of_work, ensure_indexes, (FIGURES, read_figures))
