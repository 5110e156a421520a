"""Every rejection is a 4xx whose body names the field and the reason."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.http_body import BodyGuard
from shared.mongo.aggregates import ConcurrentUpdate


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """Every 4xx body: FastAPI's validation error shape, so one published schema covers them all."""

    detail: list[ErrorItem]


class DomainRejection(Exception):
    """A request the domain refuses: `status` 404/409/422, `field` is where the problem is."""

    def __init__(self, status: int, field: str, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.field = field
        self.reason = reason
        self.retry_after = retry_after


ERROR_TYPES = {400: "bad_request", 404: "not_found", 409: "conflict", 413: "too_large", 422: "value_error"}


def rejection_body(field: str, reason: str, status: int = 422) -> dict[str, list[dict[str, object]]]:
    """`field` is a dotted path in the body (`availability.1`), or starts with `path.`/`query.`.
    The shape is FastAPI's validation error (`loc`, `msg`, `type`), so one schema covers every 4xx."""
    parts = field.split(".") if field else []
    if not parts or parts[0] not in ("path", "query", "header"):
        parts = ["body", *parts]
    return {"detail": [{"loc": parts, "msg": reason, "type": ERROR_TYPES.get(status, "error")}]}


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
