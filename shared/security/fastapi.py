"""The HTTP edge of access control: bearer token -> Grant, and the 401/403 answers.

Bodies have the same shape as every other rejection (`{"detail": [{"loc": [...], "msg": ...}]}`)
and say what is wrong in general terms only: never the token, the expected issuer or audience.
"""

from typing import Any
from uuid import UUID

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.security.audit import AuditNote
from shared.security.jwks import ProviderUnavailable
from shared.security.policy import Filter, Grant, Rule
from shared.security.verifier import InvalidToken

bearer = HTTPBearer(auto_error=False, scheme_name="bearer", bearerFormat="JWT",
                    description="An OIDC access token from the organisation's identity provider")
AUTHORIZATION = ["header", "Authorization"]


def _denied(status: int, loc: list[str], msg: str) -> HTTPException:
    headers = {"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{msg}"'} if status == 401 \
        else None
    return HTTPException(status, [{"loc": loc, "msg": msg}], headers=headers)


class AccessCheck:
    """`Depends(policy.allowed(op))` resolves to one of these; the OpenAPI document lists them."""

    def __init__(self, operation: str, rule: Rule) -> None:
        self.operation, self.rule = operation, rule

    async def __call__(self, request: Request,
                       credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> Grant:
        note = AuditNote.start(request, self.operation) if self.rule.personal else None
        if credentials is None:
            raise _denied(401, AUTHORIZATION, "a bearer token is required")
        try:
            principal = await request.app.state.verifier.verify(credentials.credentials)
        except InvalidToken as exc:
            raise _denied(401, AUTHORIZATION, exc.reason) from exc
        except ProviderUnavailable as exc:
            raise HTTPException(503, [{"loc": AUTHORIZATION, "msg": "the identity provider cannot be reached "
                                       "to verify the token; retry later"}]) from exc
        role = self.rule.role_for(principal)
        if note:
            note.by(principal, role)
        if role is None:
            raise _denied(403, AUTHORIZATION, f"none of your roles may {self.operation}")
        grant = Grant(principal, role, self.operation, principal.scope_as(role))
        if note:
            note.grant = grant
        if self.rule.filter is Filter.PROGRAMME and not grant.scope.covers_programme(_programme_id(request)):
            raise _denied(403, ["path", "programme_id"], "this programme is outside your scope")
        return grant


def _programme_id(request: Request) -> UUID:
    try:
        return UUID(request.path_params["programme_id"])
    except (KeyError, ValueError) as exc:
        raise HTTPException(422, [{"loc": ["path", "programme_id"], "msg": "not a valid UUID"}]) from exc


def access_dependency(operation: str, rule: Rule) -> Any:
    return Depends(AccessCheck(operation, rule))
