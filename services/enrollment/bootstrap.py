"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from dataclasses import dataclass

from shared.runtime import Runtime

from enrollment.adapters.mongo_unit_of_work import COLLECTIONS, MongoEnrollmentUnitOfWork, ensure_indexes
from enrollment.config import Settings
from enrollment.unit_of_work import UnitOfWorkFactory


@dataclass
class Services:
    runtime: Runtime
    uow: UnitOfWorkFactory


def bootstrap(settings: Settings) -> Services:
    runtime = Runtime.build(settings, COLLECTIONS)
    runtime.startup.append(lambda: ensure_indexes(runtime.db))
    return Services(runtime, lambda: MongoEnrollmentUnitOfWork(runtime.db, runtime.relay.wake))
