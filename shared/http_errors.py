"""Every rejection is a 4xx (or a 503) whose body names the field and the reason: `ErrorBody`.

The same body whatever raised it: a use case's `DomainRejection`, a concurrent update, FastAPI's
own validation, the access check, the body guard, or Starlette (unknown path, wrong method).
An unreachable store is a 503 with Retry-After (issue 15's outage handling), in the same body.
Which statuses each operation documents: shared/http_statuses.py.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pymongo.errors import PyMongoError
from starlette.exceptions import HTTPException

from shared.http_body import BodyGuard
from shared.messaging.failures import transient_dependency
from shared.mongo.aggregates import ConcurrentUpdate


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """Every 4xx and 503 body: FastAPI's validation error shape, so one published schema covers them all."""

    detail: list[ErrorItem]


RETRY_AFTER_S = 5
log = logging.getLogger(__name__)
# Documented on every route: a write that cannot be made durable (the store is unreachable) is not
# accepted. While only the broker is down, writes are accepted: their events wait in the outbox.
UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: {
    "description": "The database (or, for a route with an access rule, the identity provider) is unreachable, so "
                   "the request could not be served or made durable; nothing was changed that a retry would not "
                   "converge on. Retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}},
}}


class DomainRejection(Exception):
    """A request the domain refuses: `status` 404/409/410/422, `field` is where the problem is."""

    def __init__(self, status: int, field: str, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.field = field
        self.reason = reason
        self.retry_after = retry_after


ERROR_TYPES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 410: "gone", 413: "too_large",
               415: "unsupported_media_type", 422: "value_error", 503: "unavailable"}


def rejection_body(field: str, reason: str, status: int = 422) -> dict[str, list[dict[str, object]]]:
    """`field` is a dotted path in the body (`availability.1`), or starts with `path.`/`query.`/`header.`."""
    parts = field.split(".") if field else []
    if not parts or parts[0] not in ("path", "query", "header"):
        parts = ["body", *parts]
    return {"detail": [{"loc": parts, "msg": reason, "type": ERROR_TYPES.get(status, "error")}]}


def error_items(status: int, detail: Any) -> list[dict[str, Any]]:
    """An HTTPException's detail (a list of items, possibly without `type`, or a plain text) as ErrorItems."""
    kind = ERROR_TYPES.get(status, "error")
    if isinstance(detail, list) and all(isinstance(d, dict) for d in detail):
        return [{"loc": list(d.get("loc", [])), "msg": str(d.get("msg", "")), "type": d.get("type", kind)}
                for d in detail]
    return [{"loc": [], "msg": str(detail), "type": kind}]


def install_error_handlers(app: FastAPI) -> None:
    app.add_middleware(BodyGuard, error_body=rejection_body)

    @app.exception_handler(DomainRejection)
    async def _rejected(_: Request, exc: DomainRejection) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return JSONResponse(rejection_body(exc.field, exc.reason, exc.status), exc.status, headers=headers)

    @app.exception_handler(ConcurrentUpdate)
    async def _raced(_: Request, exc: ConcurrentUpdate) -> JSONResponse:
        # Another request changed the same document between our read and our version-checked write.
        body = rejection_body("", "changed concurrently by another request; retry it", 409)
        return JSONResponse(body, 409, headers={"Retry-After": "1"})

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Only where and why: FastAPI would also echo the input, however large or hostile.
        items = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        return JSONResponse({"detail": items}, 422)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"detail": error_items(exc.status_code, exc.detail)}, exc.status_code, headers=exc.headers)

    @app.exception_handler(PyMongoError)
    async def _store_unavailable(_: Request, exc: PyMongoError) -> JSONResponse:
        if transient_dependency(exc) is None:
            log.error("database error: %r", exc, exc_info=exc)
            return JSONResponse({"detail": error_items(500, "internal database error")}, 500)
        log.warning("database unreachable, answering 503: %r", exc)
        return JSONResponse({"detail": error_items(503, "the database is unreachable; retry later")}, 503,
                            headers={"Retry-After": str(RETRY_AFTER_S)})
