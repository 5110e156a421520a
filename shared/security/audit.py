"""The audit trail of personal data: who (subject, role), what (operation, method, path), about whom
(participant ids), when, and the outcome (HTTP status), for every call of an operation the policy
marks `personal`, allowed or not. Entries are inserts into the service's own `audit` collection.

A refused call (4xx) disclosed nothing about anyone: its entry keeps the route's template, not the ids
in its path, since the person it named may not exist, or no longer (an erased id must not come back).

The dependency starts a note on the request; this middleware writes it once the status is known.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import uuid4

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.http_answer import AnsweredStatus

if TYPE_CHECKING:
    from shared.security.policy import Grant
    from shared.security.principal import Principal

log = logging.getLogger(__name__)


class AuditStore(Protocol):
    async def record(self, entry: dict[str, Any]) -> None: ...


@dataclass
class AuditNote:
    operation: str
    method: str
    path: str
    correlation_id: str | None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    subject: str | None = None
    role: str | None = None
    client_id: str | None = None
    grant: "Grant | None" = None
    template: str = ""

    @classmethod
    def start(cls, request: Request, operation: str) -> "AuditNote":
        note = cls(operation, request.method, request.url.path, request.headers.get("x-correlation-id"))
        note.template = getattr(request.scope.get("route"), "path_format", "") or operation
        request.state.audit = note
        return note

    def by(self, principal: "Principal", role: str | None) -> None:
        self.subject, self.role, self.client_id = principal.subject, role, principal.client_id

    def entry(self, status: int) -> dict[str, Any]:
        done = status < 400
        about = sorted(str(p) for p in self.grant.participants) if self.grant and done else []
        return {"_id": str(uuid4()), "at": self.at, "subject": self.subject, "role": self.role,
                "client_id": self.client_id, "operation": self.operation, "method": self.method,
                "path": self.path if done else self.template, "participant_ids": about, "status": status,
                "correlation_id": self.correlation_id}


class AuditMiddleware:
    """Pure ASGI: the entry is written after the endpoint, with the status it answered."""

    def __init__(self, app: ASGIApp, store: AuditStore) -> None:
        self.app, self.store = app, store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answered = AnsweredStatus(send)
        state = scope.setdefault("state", {})

        try:
            await self.app(scope, receive, answered)
        finally:
            note = state.get("audit")
            if isinstance(note, AuditNote):
                try:
                    await self.store.record(note.entry(answered.code))
                except Exception:
                    log.exception("audit entry lost: %s", note.entry(answered.code))
