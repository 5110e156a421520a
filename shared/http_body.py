"""The request body as the services accept it: bounded while it streams, and text that can be stored.

A size limit read from Content-Length alone lets a chunked body through in full, so the body is
counted as it arrives and the request is answered 413 as soon as it passes the limit. A JSON string
may spell a lone UTF-16 surrogate (`"\\ud800"`), which no store or encoder accepts: refused here
with 422 naming the field, before any handler sees it.
"""

import json
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1_000_000
MAX_CSV_BYTES = 50_000_000  # HR exports: 10,000 rows are about 2 MB


def lone_surrogate_at(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """The path of the first string (or key) holding a lone surrogate, or None."""
    if isinstance(value, str):
        return path if any("\ud800" <= c <= "\udfff" for c in value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and lone_surrogate_at(key) is not None:
            return (*path, key)
        found = lone_surrogate_at(item, (*path, key))
        if found is not None:
            return found
    return None


class BodyGuard:
    def __init__(self, app: ASGIApp, error_body: Any) -> None:
        self.app, self.error_body = app, error_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        content_type = headers.get("content-type", "")
        limit = MAX_CSV_BYTES if content_type.startswith("text/csv") else MAX_BODY_BYTES
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await self._reject(scope, receive, send, 413, "", f"payload larger than {limit} bytes")
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                await self._reject(scope, receive, send, 413, "", f"payload larger than {limit} bytes")
                return
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if "json" in content_type and b"\\u" in body.lower():
            bad = self._lone_surrogate(body)
            if bad is not None:
                field = ".".join(str(p) for p in bad)
                await self._reject(scope, receive, send, 422, field, "not valid text: a lone UTF-16 surrogate")
                return
        await self.app(scope, _replay(body, receive), send)

    @staticmethod
    def _lone_surrogate(body: bytes) -> tuple[str | int, ...] | None:
        try:
            return lone_surrogate_at(json.loads(body))
        except ValueError:
            return None  # not JSON: the route's own validation answers

    async def _reject(self, scope: Scope, receive: Receive, send: Send, status: int, field: str, reason: str) -> None:
        response = JSONResponse(self.error_body(field, reason, status), status, headers={"Connection": "close"})
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
