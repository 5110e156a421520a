"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from dataclasses import dataclass

from shared.runtime import Runtime

from feedback.adapters.mongo_unit_of_work import COLLECTIONS, MongoFeedbackUnitOfWork, ensure_indexes
from feedback.config import Settings
from feedback.unit_of_work import UnitOfWorkFactory


@dataclass
class Services:
    runtime: Runtime
    uow: UnitOfWorkFactory


def bootstrap(settings: Settings) -> Services:
    runtime = Runtime.build(settings, COLLECTIONS)
    runtime.startup.append(lambda: ensure_indexes(runtime.db))
    return Services(runtime, lambda: MongoFeedbackUnitOfWork(runtime.db, runtime.relay.wake))
