"""Composition root: settings -> clients -> unit of work factory, relay, metrics."""

from feedback.adapters.mongo_unit_of_work import COLLECTIONS, MongoFeedbackUnitOfWork, ensure_indexes
from feedback.config import Settings
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.runtime import Services, compose


def bootstrap(settings: Settings) -> Services[FeedbackUnitOfWork]:
    return compose(settings, COLLECTIONS, MongoFeedbackUnitOfWork, ensure_indexes)
