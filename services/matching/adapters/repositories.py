from collections.abc import Callable
from typing import Any
from uuid import UUID

from matching.adapters import documents as docs
from matching.domain.model import Candidate, Pair, Round
from matching.domain.programme import Programme
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments, AlreadyExists
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork


class _Repository:
    """Version-checked writes of one aggregate kind, mapped at commit time (so late changes count)."""

    to_doc: Callable[[Any], dict[str, Any]]
    from_doc: Callable[[dict[str, Any]], Any]

    def __init__(self, documents: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = documents, uow

    async def _get(self, key: UUID) -> Any:
        doc = await self.docs.get(str(key))
        return type(self).from_doc(doc) if doc else None

    async def _find(self, query: dict[str, Any]) -> list[Any]:
        return [type(self).from_doc(d) async for d in self.docs.collection.find(query, {"outbox": 0})]

    def _add(self, item: Any, events: list[IntegrationEvent], replay_ok: bool = False) -> None:
        async def write() -> None:
            try:
                await self.docs.insert(type(self).to_doc(item), events)
            except AlreadyExists:
                if not replay_ok:
                    raise
            item.version = 1

        self.uow.stage(write)

    def _update(self, item: Any, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            doc = type(self).to_doc(item)
            key = doc.pop("_id")
            item.version = await self.docs.update(key, item.version, doc, events)

        self.uow.stage(write)


class MongoCandidates(_Repository):
    to_doc, from_doc = staticmethod(docs.candidate_to_doc), staticmethod(docs.candidate_from_doc)

    async def get(self, participant_id: UUID) -> Candidate | None:
        return await self._get(participant_id)

    async def in_programme(self, programme_id: UUID) -> list[Candidate]:
        return await self._find({"programme_id": str(programme_id)})

    def add(self, candidate: Candidate) -> None:
        self._add(candidate, [])

    def update(self, candidate: Candidate) -> None:
        self._update(candidate, [])


class MongoPairs(_Repository):
    to_doc, from_doc = staticmethod(docs.pair_to_doc), staticmethod(docs.pair_from_doc)

    async def get(self, pair_id: UUID) -> Pair | None:
        return await self._get(pair_id)

    async def in_programme(self, programme_id: UUID) -> list[Pair]:
        return await self._find({"programme_id": str(programme_id)})

    async def page(self, programme_id: UUID | None, status: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Pair], int]:
        query: dict[str, Any] = {"programme_id": str(programme_id)} if programme_id else {}
        if status:
            query["status"] = status
        query = scope.narrow(query, members=("mentor_id", "mentee_id"))
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("_id", 1).skip(offset).limit(limit)
        return [docs.pair_from_doc(d) async for d in cursor], total

    def add(self, pair: Pair, events: list[IntegrationEvent]) -> None:
        self._add(pair, events, replay_ok=True)  # a deterministic pair id: a replay finds it stored

    def update(self, pair: Pair, events: list[IntegrationEvent]) -> None:
        self._update(pair, events)


class MongoProgrammes(_Repository):
    to_doc, from_doc = staticmethod(docs.programme_to_doc), staticmethod(docs.programme_from_doc)

    async def get(self, programme_id: UUID) -> Programme | None:
        return await self._get(programme_id)

    def add(self, programme: Programme) -> None:
        self._add(programme, [])

    def update(self, programme: Programme) -> None:
        self._update(programme, [])


class MongoRounds(_Repository):
    to_doc, from_doc = staticmethod(docs.round_to_doc), staticmethod(docs.round_from_doc)

    async def get(self, round_id: UUID) -> Round | None:
        return await self._get(round_id)

    def add(self, round_: Round) -> None:
        self._add(round_, [])

    def update(self, round_: Round) -> None:
        self._update(round_, [])
