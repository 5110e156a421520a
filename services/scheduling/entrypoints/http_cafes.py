"""Open cafés over HTTP: a programme publishes one, participants join it up to its capacity."""

from datetime import datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from scheduling import handlers
from scheduling.domain.cafe import Cafe
from scheduling.domain.commands import JoinCafe, PublishCafe
from scheduling.entrypoints.retrying import run
from scheduling.entrypoints.schemas import Page
from scheduling.policy import allowed
from scheduling.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection
from shared.http_params import Limit, Offset
from shared.security import Grant

CorrelationId = Annotated[UUID | None, Header(alias="X-Correlation-ID")]


class CafeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="a curriculum topic slug, not free text")
    starts_at: AwareDatetime
    duration_minutes: int = Field(ge=15, le=240)
    capacity: int = Field(ge=2, le=500)


class JoinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    participant_id: UUID


class CafeOut(BaseModel):
    cafe_id: UUID
    programme_id: UUID
    topic: str
    starts_at: datetime
    duration_minutes: int
    capacity: int
    seats_left: int
    attendees: list[UUID]
    status: str

    @classmethod
    def of(cls, c: Cafe) -> "CafeOut":
        return cls(cafe_id=c.cafe_id, programme_id=c.programme_id, topic=c.topic, starts_at=c.starts_at,
                   duration_minutes=c.duration_minutes, capacity=c.capacity, seats_left=c.seats_left,
                   attendees=c.attendees, status=c.status)


def build_cafes_router(uow_factory: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["cafés"])

    @router.post("/programmes/{programme_id}/cafes", response_model=CafeOut, status_code=201,
                 responses={200: {"model": CafeOut, "description": "already published (idempotent re-send)"}},
                 dependencies=[allowed("cafes.publish")])
    async def publish(programme_id: UUID, body: CafeIn, x_correlation_id: CorrelationId = None):
        async with uow_factory() as uow:
            if await uow.plans.get(programme_id) is None:
                raise DomainRejection(404, "programme_id", f"programme {programme_id} not launched (yet)")
        cmd = PublishCafe(programme_id, body.topic, body.starts_at, body.duration_minutes, body.capacity,
                          x_correlation_id or uuid4())
        cafe, created = await run(uow_factory, handlers.publish_cafe, cmd)
        return JSONResponse(CafeOut.of(cafe).model_dump(mode="json"), status_code=201 if created else 200)

    @router.get("/cafes", response_model=Page[CafeOut])
    async def list_cafes(programme_id: UUID | None = None, offset: Offset = 0,
                         limit: Limit = 50, grant: Grant = allowed("cafes.list")):
        async with uow_factory() as uow:
            cafes, total = await uow.cafes.page(programme_id, offset, limit, grant.scope)
        grant.about(*(a for c in cafes for a in c.attendees))
        return Page(items=[CafeOut.of(c) for c in cafes], total=total, offset=offset, limit=limit)

    @router.get("/cafes/{cafe_id}", response_model=CafeOut)
    async def get_cafe(cafe_id: UUID, grant: Grant = allowed("cafes.read")):
        async with uow_factory() as uow:
            cafe = await uow.cafes.get(cafe_id)
        if cafe is None or not grant.scope.covers_programme(cafe.programme_id):
            raise DomainRejection(404, "cafe_id", f"no café {cafe_id}")
        grant.about(*cafe.attendees)
        return CafeOut.of(cafe)

    @router.post("/cafes/{cafe_id}/attendees", response_model=CafeOut,
                 summary="Join a café (idempotent; 409 when full or when the participant is busy then)")
    async def join(cafe_id: UUID, body: JoinIn, x_correlation_id: CorrelationId = None,
                   grant: Grant = allowed("cafes.join")):
        grant.about(body.participant_id)
        scope = grant.scope
        if scope.participants is not None:
            grant.forbid_unless(body.participant_id in scope.participants, "participant_id",
                                "you may only join yourself")
        elif not scope.unrestricted:
            async with uow_factory() as uow:
                found = await uow.cafes.get(cafe_id)
            if found is None or not scope.covers_programme(found.programme_id):
                raise DomainRejection(404, "cafe_id", f"no café {cafe_id}")
        cafe = await run(uow_factory, handlers.join_cafe, JoinCafe(cafe_id, body.participant_id,
                                                                   x_correlation_id or uuid4()))
        return CafeOut.of(cafe)

    return router
