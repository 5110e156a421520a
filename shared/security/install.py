"""Wires access control into a service's app: verifier and audit store on the app, the audit
middleware, the admins' `GET /audit`, and the OpenAPI document's security scheme and 401/403 answers."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel

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
                         offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=500)] = 50):
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


ERROR_SCHEMA = {"type": "object", "properties": {"detail": {"type": "array", "items": {
    "type": "object", "properties": {"loc": {"type": "array", "items": {"type": "string"}}, "msg": {"type": "string"}},
    "required": ["loc", "msg"]}}}, "required": ["detail"]}
DENIALS = {
    "401": "No bearer token, or one that is malformed, expired, not yet valid, for another audience, from another "
           "issuer, badly signed or with an algorithm not accepted (WWW-Authenticate says which, in general terms)",
    "403": "The token is valid but none of its roles may do this, or the programme is outside its scope",
}


def document_access(app: FastAPI) -> None:
    """Adds each operation's access rule (`x-access`) and its 401/403 answers to the OpenAPI document, and
    marks the public operations (`security: []`, `x-access.public` says why)."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = plain()
        schema.setdefault("components", {}).setdefault("schemas", {})["AccessDenied"] = ERROR_SCHEMA
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
                for status, description in DENIALS.items():
                    operation["responses"][status] = {"description": description, "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/AccessDenied"}}}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_access(app: FastAPI, policy: Policy, verifier: TokenVerifier, audit: AuditStore) -> None:
    app.state.verifier, app.state.audit = verifier, audit
    app.add_middleware(AuditMiddleware, store=audit)
    app.include_router(audit_router(policy))
    document_access(app)
