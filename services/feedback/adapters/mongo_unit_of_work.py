from collections.abc import Callable

from pymongo.asynchronous.database import AsyncDatabase

from feedback.adapters.repositories import MongoCompletedSessions, MongoSurveys
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.mongo.aggregates import AggregateDocuments

COLLECTIONS = ("surveys",)


class MongoFeedbackUnitOfWork(FeedbackUnitOfWork):
    def __init__(self, db: AsyncDatabase, on_commit: Callable[[], None]) -> None:
        super().__init__(on_commit)
        self.sessions = MongoCompletedSessions(db["completed_sessions"], self)
        self.surveys = MongoSurveys(AggregateDocuments(db["surveys"]), self)


async def ensure_indexes(db: AsyncDatabase) -> None:
    await AggregateDocuments(db["surveys"]).ensure_indexes()
    await db["surveys"].create_index("programme_id")
