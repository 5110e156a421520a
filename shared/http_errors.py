"""Every rejection is a 4xx whose body names the field and the reason."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

MAX_BODY_BYTES = 1_000_000
MAX_CSV_BYTES = 50_000_000  # HR exports: 10,000 rows are about 2 MB


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
