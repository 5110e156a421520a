"""Each programme's session plan, by programme id."""

from uuid import UUID

from pymongo.asynchronous.collection import AsyncCollection

from scheduling.adapters.documents import plan_from_doc, plan_to_doc
from scheduling.domain.model import SessionPlan
from shared.unit_of_work import UnitOfWork


class MongoProgrammePlans:
    def __init__(self, collection: AsyncCollection, uow: UnitOfWork) -> None:
        self.collection, self.uow = collection, uow

    async def get(self, programme_id: UUID) -> SessionPlan | None:
        doc = await self.collection.find_one({"_id": str(programme_id)})
        return plan_from_doc(doc) if doc else None

    def put(self, programme_id: UUID, plan: SessionPlan) -> None:
        doc = plan_to_doc(programme_id, plan)
        self.uow.stage(lambda: self.collection.replace_one({"_id": doc["_id"]}, doc, upsert=True))
