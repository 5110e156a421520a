import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from scheduling.adapters.agenda import MongoAgenda, mark_new_database_seeded
from scheduling.adapters.cafes import MongoCafes
from scheduling.adapters.calendars import MongoParticipantCalendars
from scheduling.adapters.erasure import pairs_and_sessions_of
from scheduling.adapters.participant_pairs import ParticipantPairs
from scheduling.adapters.plans import MongoProgrammePlans
from scheduling.adapters.repositories import MongoPairSchedules, pairs_index, pairs_index_before
from scheduling.domain.model import Timing
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.crypto.keyring import MongoKeys
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.erasure import StagedErasure
from shared.mongo.index_move import move_entries
from shared.mongo.tombstones import Tombstones

COLLECTIONS = ("pairs", "cafes")


class MongoSchedulingUnitOfWork(SchedulingUnitOfWork):
    def __init__(self, db: AsyncDatabase, on_commit: Callable[[], None], timing: Timing | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        super().__init__(on_commit)
        self.plans = MongoProgrammePlans(db["programme_plans"], self)
        self.agenda = MongoAgenda(db, timing or Timing(), clock)
        self.pairs = MongoPairSchedules(AggregateDocuments(db["pairs"]), self, self.agenda)
        self.calendars = MongoParticipantCalendars(AggregateDocuments(db["participant_calendars"]), self)
        self.cafes = MongoCafes(AggregateDocuments(db["cafes"]), self)
        self.erasure = StagedErasure(db, self, pairs_and_sessions_of)
        self.tombstones = Tombstones(db, self)
        self.keys = MongoKeys(db, self, self.tombstones)


async def ensure_indexes(db: AsyncDatabase) -> None:
    """Each secondary index costs every write of a pair (FerretDB v1 keeps them all up to date), so only
    those a query uses: `session_ids`, `with_session` for pairs of the earlier shape; `member_ids`, lists
    narrowed to people and erasure; `programme_id, country`, lists and counts of a programme outside its
    index pages. Dropped where an older version made them: `programme_id, status` (the launch's query reads
    the index pages now) and `status, _id` (the agenda's one-time seeding pages no more by `_id`: one
    unsorted pass, `MongoPairSchedules.active_batches`)."""
    await AggregateDocuments(db["pairs"]).ensure_indexes()
    await db["pairs"].create_index("session_ids")
    await db["pairs"].create_index("member_ids")
    await ParticipantPairs(db).seed()
    await mark_new_database_seeded(db)
    for unused in ([("programme_id", 1), ("status", 1)], [("status", 1), ("_id", 1)]):
        with contextlib.suppress(OperationFailure):  # not there: a new database
            await db["pairs"].drop_index(unused)
    await db["pairs"].create_index([("programme_id", 1), ("country", 1)])
    await move_entries(pairs_index_before(db), pairs_index(db))  # once: 16 pages -> 256
    await AggregateDocuments(db["cafes"]).ensure_indexes()
    await db["cafes"].create_index([("programme_id", 1), ("starts_at", 1)])
