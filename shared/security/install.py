"""Wires access control into a service's app: verifier and audit store on the app, the audit
middleware, the admins' `GET /audit`, and each operation's access rule in the OpenAPI document."""

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel

from shared.http_params import Limit, Offset
from shared.security.audit import AuditMiddleware, AuditStore
from shared.security.fastapi import AccessCheck
from shared.security.policy import Policy
from shared.security.public import PUBLIC
from shared.security.verifier import TokenVerifier


class AuditEntryOut(BaseModel):
    at: datetime
    subject: str | None = None  # the token's subject; None when no valid token came
    role: str | None = None  # the role the request acted in
    client_id: str | None = None
    operation: str  # the policy's operation name, or participants.erasure-applied
    method: str | None = None
    path: str | None = None  # the route's template only, for a refused call
    participant_ids: list[str] = []
    status: int
    correlation_id: str | None = None
    erasure_id: str | None = None
    documents_changed: int | None = None


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    total: int
    offset: int
    limit: int


def audit_router(policy: Policy) -> APIRouter:
    router = APIRouter(tags=["audit"])

    @router.get("/audit", response_model=AuditPage, dependencies=[policy.allowed("audit.read")],
                summary="Who read or changed whose personal data here, when, with what outcome (newest first)")
    async def read_audit(request: Request, participant_id: UUID | None = None, subject: str | None = None,
                         operation: str | None = None, since: datetime | None = None,
                         offset: Offset = 0, limit: Limit = 50):
        items, total = await request.app.state.audit.page(participant_id, subject, operation, since, offset, limit)
        return AuditPage(items=[AuditEntryOut(**i) for i in items], total=total, offset=offset, limit=limit)

    return router


def access_check_of(route: APIRoute) -> AccessCheck | None:
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if isinstance(dependency.call, AccessCheck):
            return dependency.call
        pending += dependency.dependencies
    return None


def document_access(app: FastAPI) -> None:
    """Adds each operation's access rule (`x-access`) to the OpenAPI document, and marks the public
    operations (`security: []`, `x-access.public` says why); their 401/403/503 answers are documented
    with every other status by shared/http_statuses.py."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = plain()
        for context in iter_route_contexts(app.routes):
            route = context.original_route
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            path = context.path_format or route.path_format
            check = access_check_of(route)
            for method in route.methods:
                operation = schema["paths"][path][method.lower()]
                if check is None:
                    if (why := PUBLIC.get(f"{method} {path}")) is not None:
                        operation["security"], operation["x-access"] = [], {"public": why}
                    continue
                operation["x-access"] = {"operation": check.operation, "roles": sorted(check.rule.roles),
                                         "scope": check.rule.filter.value, "audited": check.rule.personal}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_access(app: FastAPI, policy: Policy, verifier: TokenVerifier, audit: AuditStore) -> None:
    app.state.verifier, app.state.audit = verifier, audit
    app.add_middleware(AuditMiddleware, store=audit)
    app.include_router(audit_router(policy))
    document_access(app)
