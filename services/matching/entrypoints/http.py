"""Matching's HTTP surface: read the pairs."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from matching.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection


class PairOut(BaseModel):
    pair_id: UUID
    programme_id: UUID
    mentor_id: UUID
    mentee_id: UUID
    country: str
    language: str
    score: float


class PairPage(BaseModel):
    items: list[PairOut]
    total: int
    offset: int
    limit: int


def build_http_router(uow_factory: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["matching"])

    @router.get("/pairs", response_model=PairPage)
    async def list_pairs(programme_id: UUID | None = None, offset: Annotated[int, Query(ge=0)] = 0,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50):
        async with uow_factory() as uow:
            pairs, total = await uow.pairs.page(programme_id, offset, limit)
        return PairPage(items=[PairOut(**vars(p)) for p in pairs], total=total, offset=offset, limit=limit)

    @router.get("/pairs/{pair_id}", response_model=PairOut)
    async def get_pair(pair_id: UUID):
        async with uow_factory() as uow:
            pair = await uow.pairs.get(pair_id)
        if pair is None:
            raise DomainRejection(404, "pair_id", f"pair {pair_id} not found")
        return PairOut(**vars(pair))

    return router
