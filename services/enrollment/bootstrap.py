"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from enrollment.adapters.mongo_unit_of_work import COLLECTIONS, MongoEnrollmentUnitOfWork, ensure_indexes
from enrollment.config import Settings
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.runtime import Services, compose


def bootstrap(settings: Settings) -> Services[EnrollmentUnitOfWork]:
    return compose(settings, COLLECTIONS, MongoEnrollmentUnitOfWork, ensure_indexes)
