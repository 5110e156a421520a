"""Scheduling's write side over HTTP: complete, miss, reschedule, cancel a session; run a tick."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar
from uuid import UUID, uuid4

from fastapi import APIRouter, Header

from scheduling import handlers
from scheduling.domain.commands import CancelSession, CompleteSession, MarkMissed, RescheduleSession, Tick
from scheduling.domain.model import AlreadyCompletedDifferently, SessionChangeRefused, SessionNotFound, Timing
from scheduling.domain.participant_calendar import DoubleBooking
from scheduling.entrypoints.schemas import CancellationIn, CompletionIn, RescheduleIn, SessionOut, TickOut
from scheduling.unit_of_work import SchedulingUnitOfWork, UnitOfWorkFactory
from shared.http_errors import DomainRejection
from shared.mongo.aggregates import AlreadyExists, ConcurrentUpdate

R = TypeVar("R")
CorrelationId = Annotated[UUID | None, Header(alias="X-Correlation-ID")]
ATTEMPTS = 3


async def _run(uow_factory: UnitOfWorkFactory, use_case: Callable[[Any, SchedulingUnitOfWork], Awaitable[R]],
               cmd: Any) -> R:
    """Runs a use case, retrying on fresh state when a concurrent writer won a version check."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with uow_factory() as uow:
                return await use_case(cmd, uow)
        except (ConcurrentUpdate, AlreadyExists) as exc:
            if attempt == ATTEMPTS:
                raise DomainRejection(409, "session_id", "changed concurrently, please retry") from exc
        except SessionNotFound as exc:
            raise DomainRejection(404, "session_id", f"session {exc} not found") from exc
        except AlreadyCompletedDifferently as exc:
            raise DomainRejection(409, "actual_minutes", "session already completed with other data") from exc
        except SessionChangeRefused as exc:
            raise DomainRejection(409, exc.field, exc.reason) from exc
        except DoubleBooking as exc:
            raise DomainRejection(409, "starts_at", str(exc)) from exc
    raise AssertionError("unreachable")


def build_changes_router(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime], timing: Timing) -> APIRouter:
    router = APIRouter(tags=["scheduling"])

    @router.post("/sessions/{session_id}/completion", response_model=SessionOut,
                 summary="Mark a session completed (idempotent for the same data)")
    async def complete_session(session_id: UUID, body: CompletionIn, x_correlation_id: CorrelationId = None):
        cmd = CompleteSession(session_id, body.actual_minutes, body.completed_at or clock(),
                              x_correlation_id or uuid4(), tuple(body.modules_covered))
        _, session = await _run(uow_factory, handlers.complete_session, cmd)
        return SessionOut.of(session)

    @router.post("/sessions/{session_id}/missed", response_model=SessionOut, summary="Mark a session missed")
    async def miss_session(session_id: UUID, x_correlation_id: CorrelationId = None):
        _, session = await _run(uow_factory, handlers.mark_missed, MarkMissed(session_id, x_correlation_id or uuid4()))
        return SessionOut.of(session)

    @router.post("/sessions/{session_id}/reschedule", response_model=SessionOut,
                 summary="Move a session; later sessions move when they would come too soon")
    async def reschedule(session_id: UUID, body: RescheduleIn, x_correlation_id: CorrelationId = None):
        cmd = RescheduleSession(session_id, body.starts_at, x_correlation_id or uuid4())
        _, session = await _run(uow_factory, handlers.reschedule_session, cmd)
        return SessionOut.of(session)

    @router.post("/sessions/{session_id}/cancellation", response_model=SessionOut | None,
                 summary="Cancel a session; returns its replacement when one was planned")
    async def cancel(session_id: UUID, body: CancellationIn, x_correlation_id: CorrelationId = None):
        cmd = CancelSession(session_id, clock(), body.replan, x_correlation_id or uuid4())
        _, replacement = await _run(uow_factory, handlers.cancel_session, cmd)
        return SessionOut.of(replacement) if replacement else None

    @router.post("/operations/tick", response_model=TickOut,
                 summary="Send due reminders and check inactivity now (the periodic task does the same)")
    async def run_tick(x_correlation_id: CorrelationId = None):
        return TickOut(**await _run(uow_factory, handlers.tick, Tick(clock(), timing, x_correlation_id or uuid4())))

    return router
