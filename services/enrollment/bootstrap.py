"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from enrollment import handlers
from enrollment.adapters.mongo_unit_of_work import COLLECTIONS, MongoEnrollmentUnitOfWork, ensure_indexes
from enrollment.config import Settings
from enrollment.metrics import FIGURES, read_figures
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.runtime import Services, compose


def bootstrap(settings: Settings) -> Services[EnrollmentUnitOfWork]:
    services = compose(settings, COLLECTIONS, MongoEnrollmentUnitOfWork, ensure_indexes, (FIGURES, read_figures))

    async def seed_default_curriculum() -> None:
        async with services.uow() as uow:
            await handlers.ensure_default_curriculum(uow)

    services.runtime.startup.append(seed_default_curriculum)
    return services
