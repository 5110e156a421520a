"""Every rejection is a 4xx whose body names the field and the reason."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

MAX_BODY_BYTES = 1_000_000


class DomainRejection(Exception):
    """A request the domain refuses: `status` 404/409/422, `field` is where the problem is."""

    def __init__(self, status: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.field = field
        self.reason = reason


def rejection_body(field: str, reason: str) -> dict[str, list[dict[str, object]]]:
    return {"detail": [{"loc": ["body", *field.split(".")] if field else ["body"], "msg": reason}]}


class _BodyLimit(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse(rejection_body("", f"payload larger than {MAX_BODY_BYTES} bytes"), 413)
        return await call_next(request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_middleware(_BodyLimit)

    @app.exception_handler(DomainRejection)
    async def _rejected(_: Request, exc: DomainRejection) -> JSONResponse:
        return JSONResponse(rejection_body(exc.field, exc.reason), exc.status)
