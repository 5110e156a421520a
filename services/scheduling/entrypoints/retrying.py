"""Runs a use case for an HTTP request: retried on fresh state when a concurrent writer won a
version check (no multi-document transactions), domain refusals turned into 4xx naming the field."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from scheduling.domain.cafe import CafeFull, CafeMismatch, CafeNotFound, ParticipantErased
from scheduling.domain.model import AlreadyCompletedDifferently, SessionChangeRefused, SessionNotFound
from scheduling.domain.participant_calendar import DoubleBooking
from scheduling.unit_of_work import SchedulingUnitOfWork, UnitOfWorkFactory
from shared.http_errors import DomainRejection
from shared.mongo.aggregates import AlreadyExists, ConcurrentUpdate

R = TypeVar("R")
ATTEMPTS = 3


def _rejection(exc: Exception) -> DomainRejection | None:
    match exc:
        case SessionNotFound():
            return DomainRejection(404, "session_id", f"session {exc} not found")
        case CafeNotFound():
            return DomainRejection(404, "cafe_id", f"no open café {exc}")
        case AlreadyCompletedDifferently():
            return DomainRejection(409, "actual_minutes", "session already completed with other data")
        case SessionChangeRefused():
            return DomainRejection(409, exc.field, exc.reason)
        case DoubleBooking():
            return DomainRejection(409, "participant_id", str(exc))
        case ParticipantErased():
            return DomainRejection(404, "participant_id", f"no participant {exc}")
        case CafeFull():
            return DomainRejection(409, "cafe_id", "the café is full")
        case CafeMismatch():
            return DomainRejection(409, "capacity", "this café was published before with other details")
    return None


async def run(uow_factory: UnitOfWorkFactory, use_case: Callable[[Any, SchedulingUnitOfWork], Awaitable[R]],
              cmd: Any) -> R:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with uow_factory() as uow:
                return await use_case(cmd, uow)
        except (ConcurrentUpdate, AlreadyExists) as exc:
            if attempt == ATTEMPTS:
                raise DomainRejection(409, "", "changed concurrently, please retry", retry_after=1) from exc
        except Exception as exc:
            rejection = _rejection(exc)
            if rejection is None:
                raise
            raise rejection from exc
    raise AssertionError("unreachable")
