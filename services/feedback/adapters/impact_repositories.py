from typing import Any
from uuid import UUID

from pymongo.asynchronous.database import AsyncDatabase

from feedback.adapters.documents import session_from_doc, survey_from_doc
from feedback.adapters.impact_documents import (
    end_survey_from_doc,
    invitation_from_doc,
    participant_from_doc,
    planned_from_doc,
)
from feedback.adapters.repositories import Aggregates
from feedback.domain.impact import Evidence
from feedback.domain.invitations import Invitation
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.programme_index import ProgrammeIndex, fetch_by_id, index_serves
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork


class MongoInvitations(Aggregates):
    """Invitations, listed by programme through the programme's index pages (kind, respondent)."""

    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork, to_doc: Any, from_doc: Any) -> None:
        super().__init__(docs, uow, to_doc, from_doc)
        self.index = ProgrammeIndex(docs.collection.database, "invitations", counted=("kind",))

    def add(self, item: Invitation, events: list[IntegrationEvent]) -> None:
        # Indexed before the invitation is written: a stored invitation is never unlisted.
        self.uow.stage(lambda: self.index.put(item.programme_id, {str(item.survey_id): {
            "kind": item.kind, "respondent_id": str(item.respondent_id)}}))
        super().add(item, events)

    def add_all(self, items: list[tuple[Invitation, list[IntegrationEvent]]]) -> None:
        """`add` of each new invitation, in one write per index page touched and one insert; ones already
        stored (a race) are left as they are, as `add` leaves them."""
        by_programme: dict[UUID, dict[str, dict[str, str]]] = {}
        for item, _ in items:
            by_programme.setdefault(item.programme_id, {})[str(item.survey_id)] = {
                "kind": item.kind, "respondent_id": str(item.respondent_id)}
        for programme_id, entries in by_programme.items():
            self.uow.stage(lambda p=programme_id, e=entries: self.index.put(p, e))
        if items:
            self.uow.stage(lambda: self.docs.insert_many((self.to_doc(i), events) for i, events in items))

    async def page(self, programme_id: UUID | None, respondent_id: UUID | None, kind: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Invitation], int]:
        if programme_id and respondent_id and index_serves(scope, programme_id):  # one person's, from the entries
            ids = ProgrammeIndex.matching(await self.index.entries(programme_id), kind=kind,
                                          respondent_id=str(respondent_id))
            found = await fetch_by_id(self.docs.collection, ids[offset:offset + limit], {"outbox": 0})
            return [invitation_from_doc(d) for d in found], len(ids)
        if programme_id and not respondent_id and index_serves(scope, programme_id):
            ids = await self.index.ids(programme_id, offset, limit, kind=kind)
            found = await fetch_by_id(self.docs.collection, ids, {"outbox": 0})
            return [invitation_from_doc(d) for d in found], await self.index.count(programme_id, kind=kind)
        query: dict[str, Any] = {"programme_id": str(programme_id)} if programme_id else {}
        if respondent_id:
            query["respondent_id"] = str(respondent_id)
        if kind:
            query["kind"] = kind
        query = scope.narrow(query, members=("respondent_id",))
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [invitation_from_doc(d) async for d in cursor], total


class MongoImpact:
    """Reads one programme's stored facts; the figures are computed in Python (FerretDB's $group is
    unreliable beyond one accumulator)."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    async def evidence(self, programme_id: UUID) -> Evidence:
        of = {"programme_id": str(programme_id)}
        return Evidence(
            participants=await self._all("participants", of, participant_from_doc),
            invitations=await self._all("invitations", of, invitation_from_doc),
            session_surveys=await self._all("surveys", of, survey_from_doc),
            end_surveys=await self._all("end_surveys", of, end_survey_from_doc),
            planned=await self._all("planned_sessions", of, planned_from_doc),
            completed=await self._all("completed_sessions", of, session_from_doc),
        )

    async def programmes(self, limit: int) -> list[UUID]:
        ids = await self.db["invitations"].distinct("programme_id")
        return [UUID(i) for i in sorted(ids)[:limit]]

    async def _all(self, collection: str, query: dict[str, Any], from_doc: Any) -> list[Any]:
        return [from_doc(d) async for d in self.db[collection].find(query, {"outbox": 0})]
