"""Every rejection is a 4xx whose body names the field and the reason; an unreachable store is a 503."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pymongo.errors import PyMongoError
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from shared.messaging.failures import transient_dependency

MAX_BODY_BYTES = 1_000_000
MAX_CSV_BYTES = 50_000_000  # HR exports: 10,000 rows are about 2 MB
RETRY_AFTER_S = 5
log = logging.getLogger(__name__)
# Documented on every route: a write that cannot be made durable (the store is unreachable) is not
# accepted. While only the broker is down, writes are accepted: their events wait in the outbox.
UNAVAILABLE = {503: {
    "description": "The database is unreachable, so the request could not be served or made durable; "
                   "nothing was changed that a retry would not converge on. Retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}},
}}


class DomainRejection(Exception):
    """A request the domain refuses: `status` 404/409/422, `field` is where the problem is."""

    def __init__(self, status: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.field = field
        self.reason = reason


def rejection_body(field: str, reason: str) -> dict[str, list[dict[str, object]]]:
    """`field` is a dotted path in the body (`availability.1`), or starts with `path.`/`query.`."""
    parts = field.split(".") if field else []
    if not parts or parts[0] not in ("path", "query", "header"):
        parts = ["body", *parts]
    return {"detail": [{"loc": parts, "msg": reason}]}


class _BodyLimit(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        length = request.headers.get("content-length")
        limit = MAX_CSV_BYTES if request.headers.get("content-type", "").startswith("text/csv") else MAX_BODY_BYTES
        if length and length.isdigit() and int(length) > limit:
            return JSONResponse(rejection_body("", f"payload larger than {limit} bytes"), 413)
        return await call_next(request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_middleware(_BodyLimit)

    @app.exception_handler(DomainRejection)
    async def _rejected(_: Request, exc: DomainRejection) -> JSONResponse:
        return JSONResponse(rejection_body(exc.field, exc.reason), exc.status)

    @app.exception_handler(PyMongoError)
    async def _store_unavailable(_: Request, exc: PyMongoError) -> JSONResponse:
        if transient_dependency(exc) is None:
            log.error("database error: %r", exc, exc_info=exc)
            return JSONResponse({"detail": [{"loc": [], "msg": "internal database error"}]}, 500)
        log.warning("database unreachable, answering 503: %r", exc)
        return JSONResponse({"detail": [{"loc": [], "msg": "the database is unreachable; retry later"}]}, 503,
                            headers={"Retry-After": str(RETRY_AFTER_S)})
