from collections.abc import Callable

from pymongo.asynchronous.database import AsyncDatabase

from feedback.adapters.erasure import answers_and_pairs_of
from feedback.adapters.impact_documents import (
    end_survey_from_doc,
    end_survey_to_doc,
    invitation_from_doc,
    invitation_to_doc,
    participant_from_doc,
    participant_to_doc,
    planned_from_doc,
    planned_to_doc,
)
from feedback.adapters.impact_repositories import MongoImpact, MongoInvitations
from feedback.adapters.repositories import Aggregates, MongoCompletedSessions, MongoSurveys, Upserted
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.crypto.keyring import MongoKeys
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.erasure import StagedErasure
from shared.mongo.tombstones import Tombstones

COLLECTIONS = ("surveys", "invitations", "end_surveys")


class MongoFeedbackUnitOfWork(FeedbackUnitOfWork):
    def __init__(self, db: AsyncDatabase, on_commit: Callable[[], None]) -> None:
        super().__init__(on_commit)
        self.sessions = MongoCompletedSessions(db["completed_sessions"], self)
        self.planned = Upserted(db["planned_sessions"], self, planned_to_doc, planned_from_doc)
        self.participants = Upserted(db["participants"], self, participant_to_doc, participant_from_doc)
        self.invitations = MongoInvitations(AggregateDocuments(db["invitations"]), self, invitation_to_doc,
                                            invitation_from_doc)
        self.surveys = MongoSurveys(AggregateDocuments(db["surveys"]), self)
        self.end_surveys = Aggregates(AggregateDocuments(db["end_surveys"]), self, end_survey_to_doc,
                                      end_survey_from_doc)
        self.impact = MongoImpact(db)
        self.erasure = StagedErasure(db, self, answers_and_pairs_of, drop_fields=["comment"])
        self.tombstones = Tombstones(db, self)
        self.keys = MongoKeys(db, self, self.tombstones)


async def ensure_indexes(db: AsyncDatabase) -> None:
    for name in COLLECTIONS:
        await AggregateDocuments(db[name]).ensure_indexes()
    for name in (*COLLECTIONS, "participants", "planned_sessions", "completed_sessions"):
        await db[name].create_index("programme_id")
    await db["surveys"].create_index("respondent_id")
    await db["invitations"].create_index("respondent_id")
