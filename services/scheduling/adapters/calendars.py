"""Each participant's bookings across pairs and cafés, one document per participant."""

from uuid import UUID

from scheduling.adapters.documents import calendar_from_doc, calendar_to_doc
from scheduling.domain.participant_calendar import ParticipantCalendar
from shared.concurrently import all_settled
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists
from shared.unit_of_work import UnitOfWork


class MongoParticipantCalendars:
    """Version-checked writes: a concurrent claim on the same participant fails with ConcurrentUpdate."""

    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, participant_id: UUID) -> ParticipantCalendar:
        doc = await self.docs.get(str(participant_id))
        return calendar_from_doc(doc) if doc else ParticipantCalendar(participant_id)

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
        if existing:  # someone claimed first: the use case is retried on fresh state
            raise AlreadyExists(sorted(existing))

    async def _write(self, calendar: ParticipantCalendar) -> None:
        doc = calendar_to_doc(calendar)
        if calendar.version == 0:
            await self.docs.insert(doc)  # AlreadyExists: someone claimed first; the use case is retried
            calendar.version = 1
        else:
            changes = {k: v for k, v in doc.items() if k != "_id"}
            calendar.version = await self.docs.update(doc["_id"], calendar.version, changes)
