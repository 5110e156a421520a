"""Scheduling's write side over HTTP: complete, miss, reschedule, cancel a session; run a tick."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Header

from scheduling import handlers
from scheduling.domain.commands import CancelSession, CompleteSession, MarkMissed, RescheduleSession, Tick
from scheduling.domain.model import Timing
from scheduling.entrypoints.http import pair_with
from scheduling.entrypoints.retrying import run
from scheduling.entrypoints.schemas import (
    CancellationIn,
    CancellationOut,
    CompletionIn,
    RescheduleIn,
    SessionOut,
    TickOut,
)
from scheduling.policy import allowed
from scheduling.unit_of_work import UnitOfWorkFactory
from shared.security import Grant

CorrelationId = Annotated[UUID | None, Header(alias="X-Correlation-ID")]


def build_changes_router(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], timing: Timing) -> APIRouter:
    router = APIRouter(tags=["scheduling"])

    @router.post("/sessions/{session_id}/completion", response_model=SessionOut,
                 summary="Mark a session completed (idempotent for the same data)")
    async def complete_session(session_id: UUID, body: CompletionIn, x_correlation_id: CorrelationId = None,
                               grant: Grant = allowed("sessions.complete")):
        await in_scope(uow_factory, grant, session_id)
        cmd = CompleteSession(session_id, body.actual_minutes, body.completed_at or clock(),
                              x_correlation_id or uuid4(), tuple(body.modules_covered))
        _, session = await run(uow_factory, handlers.complete_session, cmd)
        return SessionOut.of(session)

    @router.post("/sessions/{session_id}/missed", response_model=SessionOut, summary="Mark a session missed")
    async def miss_session(session_id: UUID, x_correlation_id: CorrelationId = None,
                           grant: Grant = allowed("sessions.miss")):
        await in_scope(uow_factory, grant, session_id)
        _, session = await run(uow_factory, handlers.mark_missed, MarkMissed(session_id, x_correlation_id or uuid4()))
        return SessionOut.of(session)

    @router.post("/sessions/{session_id}/reschedule", response_model=SessionOut,
                 summary="Move a session; later sessions move when they would come too soon")
    async def reschedule(session_id: UUID, body: RescheduleIn, x_correlation_id: CorrelationId = None,
                         grant: Grant = allowed("sessions.reschedule")):
        await in_scope(uow_factory, grant, session_id)
        cmd = RescheduleSession(session_id, body.starts_at, clock(), x_correlation_id or uuid4())
        _, session = await run(uow_factory, handlers.reschedule_session, cmd)
        return SessionOut.of(session)

    @router.post("/sessions/{session_id}/cancellation", response_model=CancellationOut,
                 summary="Cancel a session; with replan, a replacement covers its module")
    async def cancel(session_id: UUID, body: CancellationIn, x_correlation_id: CorrelationId = None,
                     grant: Grant = allowed("sessions.cancel")):
        await in_scope(uow_factory, grant, session_id)
        cmd = CancelSession(session_id, clock(), body.replan, x_correlation_id or uuid4())
        pair, replacement = await run(uow_factory, handlers.cancel_session, cmd)
        return CancellationOut(cancelled=SessionOut.of(pair.session(session_id)),
                               replacement=SessionOut.of(replacement) if replacement else None)

    @router.post("/operations/tick", response_model=TickOut,
                 summary="Send due reminders and check inactivity now (the periodic task does the same)",
                 dependencies=[allowed("operations.tick")])
    async def run_tick(x_correlation_id: CorrelationId = None):
        return TickOut(**await run(uow_factory, handlers.tick, Tick(clock(), timing, x_correlation_id or uuid4())))

    return router


async def in_scope(uow_factory: UnitOfWorkFactory, grant: Grant, session_id: UUID) -> None:
    """Before a change: the session's pair must be in the caller's scope (one more read, unless nothing restricts)."""
    if not grant.scope.unrestricted:
        await pair_with(uow_factory, session_id, grant)
