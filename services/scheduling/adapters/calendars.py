"""Each participant's bookings across pairs and cafés, one document per participant.

A run of new pairs (handlers/planning_together.py) reads only the calendars this process has met (read
or written); one it has never met is presumed absent, and planned on empty. That presumption is never
trusted: an absent calendar is written by an insert, which claims it, so when the calendar exists after
all (another replica's or a previous process's, an evicted entry) the insert fails with AlreadyExists,
nothing of the run after the calendars is written, and the consumer applies each event alone, reading
every calendar (issue 14: two finds per new pair saved, most pairs' members being new to scheduling).
"""

from typing import ClassVar
from uuid import UUID
from weakref import WeakKeyDictionary

from pymongo.asynchronous.database import AsyncDatabase

from scheduling.adapters.documents import calendar_from_doc, calendar_to_doc
from scheduling.domain.participant_calendar import ParticipantCalendar
from shared.concurrently import all_settled
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists
from shared.mongo.erasure_cache import Bounded
from shared.unit_of_work import UnitOfWork

MET = 100_000  # participant ids remembered per database (~10 MB); a forgotten one costs a fallback at most


class MongoParticipantCalendars:
    """Version-checked writes: a concurrent claim on the same participant fails with ConcurrentUpdate."""

    _met_by_database: ClassVar["WeakKeyDictionary[AsyncDatabase, Bounded]"] = WeakKeyDictionary()

    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow
        db = docs.collection.database
        self.met = self._met_by_database.get(db) or self._met_by_database.setdefault(db, Bounded(MET))

    async def get(self, participant_id: UUID) -> ParticipantCalendar:
        doc = await self.docs.get(str(participant_id))
        if doc is None:
            return ParticipantCalendar(participant_id)
        self.met.put(participant_id)
        return calendar_from_doc(doc)

    async def presumed(self, participant_id: UUID) -> ParticipantCalendar:
        """The stored calendar if this process has met it, else an empty one (version 0: written by an
        insert, which fails if the calendar exists after all)."""
        return await self.get(participant_id) if self.met.get(participant_id) else ParticipantCalendar(participant_id)

    def save(self, calendar: ParticipantCalendar) -> None:
        self.uow.stage(lambda: self._write(calendar))

    def save_all(self, calendars: list[ParticipantCalendar]) -> None:
        """One staged write for different people's calendars: the first ones in one insert, the others'
        version-checked updates concurrently."""
        async def write() -> None:
            first = [c for c in calendars if c.version == 0]
            await all_settled([self._insert_all(first), *(self._write(c) for c in calendars if c.version)])

        self.uow.stage(write)

    async def _insert_all(self, calendars: list[ParticipantCalendar]) -> None:
        existing = await self.docs.insert_many((calendar_to_doc(c), ()) for c in calendars)
        for calendar in calendars:
            calendar.version = 0 if str(calendar.participant_id) in existing else 1
            self.met.put(calendar.participant_id)  # inserted, or found there: either way it exists
        if existing:  # someone claimed first: the use case is retried on fresh state
            raise AlreadyExists(sorted(existing))

    async def _write(self, calendar: ParticipantCalendar) -> None:
        doc = calendar_to_doc(calendar)
        if calendar.version == 0:
            self.met.put(calendar.participant_id)  # about to exist, or existing already (AlreadyExists)
            await self.docs.insert(doc)  # AlreadyExists: someone claimed first; the use case is retried
            calendar.version = 1
        else:
            changes = {k: v for k, v in doc.items() if k != "_id"}
            calendar.version = await self.docs.update(doc["_id"], calendar.version, changes)
