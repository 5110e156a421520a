from uuid import UUID

from scheduling.adapters.documents import cafe_from_doc, cafe_to_doc
from scheduling.domain.cafe import Cafe
from shared.contracts import IntegrationEvent
from shared.mongo.aggregates import AggregateDocuments
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import UnitOfWork


class MongoCafes:
    def __init__(self, docs: AggregateDocuments, uow: UnitOfWork) -> None:
        self.docs, self.uow = docs, uow

    async def get(self, cafe_id: UUID) -> Cafe | None:
        doc = await self.docs.get(str(cafe_id))
        return cafe_from_doc(doc) if doc else None

    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Cafe], int]:
        # A café is programme-wide: a manager sees those of the programmes their scope names.
        query = scope.narrow_programme_wide({"programme_id": str(programme_id)} if programme_id else {})
        total = await self.docs.collection.count_documents(query)
        cursor = self.docs.collection.find(query, {"outbox": 0}).sort("starts_at", 1).skip(offset).limit(limit)
        return [cafe_from_doc(d) async for d in cursor], total

    def add(self, cafe: Cafe, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            await self.docs.insert(cafe_to_doc(cafe), events)
            cafe.version = 1

        self.uow.stage(write)

    def save(self, cafe: Cafe, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            changes = {k: v for k, v in cafe_to_doc(cafe).items() if k != "_id"}
            cafe.version = await self.docs.update(str(cafe.cafe_id), cafe.version, changes, events)

        self.uow.stage(write)
