"""Scheduling's HTTP surface: read a pair's series, mark a session completed."""

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Header, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from scheduling import handlers
from scheduling.domain.commands import CompleteSession
from scheduling.domain.model import AlreadyCompletedDifferently, PairSchedule, SessionNotFound
from scheduling.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection


class CompletionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actual_minutes: int = Field(ge=1, le=480)
    completed_at: AwareDatetime | None = Field(default=None, description="Defaults to now (UTC)")


class SessionOut(BaseModel):
    session_id: UUID
    sequence: int
    starts_at: datetime
    duration_minutes: int
    status: Literal["scheduled", "completed"]
    completed_at: datetime | None
    actual_minutes: int | None


class PairScheduleOut(BaseModel):
    pair_id: UUID
    programme_id: UUID
    country: str
    mentor_id: UUID
    mentee_id: UUID
    status: str
    unschedulable_reason: str | None
    sessions: list[SessionOut]


class PairSchedulePage(BaseModel):
    items: list[PairScheduleOut]
    total: int
    offset: int
    limit: int


def build_http_router(uow_factory: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["scheduling"])

    @router.get("/pairs", response_model=PairSchedulePage)
    async def list_pairs(programme_id: UUID | None = None, offset: Annotated[int, Query(ge=0)] = 0,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50):
        async with uow_factory() as uow:
            pairs, total = await uow.pairs.page(programme_id, offset, limit)
        return PairSchedulePage(items=[_out(p) for p in pairs], total=total, offset=offset, limit=limit)

    @router.get("/pairs/{pair_id}", response_model=PairScheduleOut)
    async def get_pair(pair_id: UUID):
        async with uow_factory() as uow:
            pair = await uow.pairs.get(pair_id)
        if pair is None:
            raise DomainRejection(404, "pair_id", f"no schedule for pair {pair_id} (yet)")
        return _out(pair)

    @router.post("/sessions/{session_id}/completion", response_model=SessionOut,
                 summary="Mark a session completed (idempotent for the same data)")
    async def complete_session(session_id: UUID, body: CompletionIn,
                               x_correlation_id: Annotated[UUID | None, Header(alias="X-Correlation-ID")] = None):
        cmd = CompleteSession(session_id, body.actual_minutes, body.completed_at or datetime.now(UTC),
                              x_correlation_id or uuid4())
        try:
            async with uow_factory() as uow:
                _, session = await handlers.complete_session(cmd, uow)
        except SessionNotFound as exc:
            raise DomainRejection(404, "session_id", f"session {session_id} not found") from exc
        except AlreadyCompletedDifferently as exc:
            raise DomainRejection(409, "actual_minutes", "session already completed with other data") from exc
        return SessionOut(**vars(session))

    return router


def _out(p: PairSchedule) -> PairScheduleOut:
    return PairScheduleOut(
        pair_id=p.pair_id, programme_id=p.programme_id, country=p.country,
        mentor_id=p.mentor.participant_id, mentee_id=p.mentee.participant_id,
        status=p.status, unschedulable_reason=p.unschedulable_reason,
        sessions=[SessionOut(**vars(s)) for s in p.sessions],
    )
