"""A service's access table as data: operation -> who may, and what scope filter that implies.

Each service writes its whole table in `services/<svc>/policy.py` with `Policy({...})`; its
endpoints declare their operation with `Depends(allowed("participants.list"))`, which verifies the
bearer token, picks the caller's role for that operation and hands the endpoint a `Grant`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from uuid import UUID

from shared.http_errors import DomainRejection
from shared.security.principal import ROLES, Principal
from shared.security.scope import Scope


class Filter(Enum):
    NONE = "none"  # nothing personal and nothing programme-wide: the role is enough
    SCOPED = "scoped"  # the endpoint hands grant.scope to the store: lists filtered, anything else out of scope is 404
    PROGRAMME = "programme"  # the path's programme must be covered by the scope, else 403 before anything runs


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    filter: Filter = Filter.NONE
    personal: bool = False  # reads or changes a person's data: every call goes to the audit trail

    def __post_init__(self) -> None:
        unknown = self.roles - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles {sorted(unknown)}")

    def role_for(self, principal: Principal) -> str | None:
        return next((r for r in ROLES if r in self.roles and r in principal.roles), None)


def rule(*roles: str, filter: Filter = Filter.NONE, personal: bool = False) -> Rule:
    return Rule(frozenset(roles), filter, personal)


@dataclass
class Grant:
    """What an endpoint may do for this request: the caller, the role acted in, and the scope."""

    principal: Principal
    role: str
    operation: str
    scope: Scope
    participants: set[UUID] = field(default_factory=set)

    def about(self, *participant_ids: UUID | None) -> None:
        """Names the people this request read or changed, for the audit trail."""
        self.participants |= {p for p in participant_ids if p is not None}

    def require(self, admitted: bool, field_name: str, what: str) -> None:
        """Out of scope reads as absent: whether it exists is itself not the caller's to know."""
        if not admitted:
            raise DomainRejection(404, field_name, f"{what} not found")

    def forbid_unless(self, admitted: bool, field_name: str, reason: str) -> None:
        """For what the caller names themself (a new person's country, a respondent): nothing to hide, so 403."""
        if not admitted:
            raise DomainRejection(403, field_name, reason)


class Policy:
    def __init__(self, rules: Mapping[str, Rule]) -> None:
        self.rules = dict(rules)

    def allowed(self, operation: str) -> Any:
        """The FastAPI dependency an endpoint declares: `grant: Grant = allowed("participants.list")`."""
        from shared.security.fastapi import access_dependency  # the HTTP glue stays out of the table

        if operation not in self.rules:
            raise KeyError(f"no rule for operation {operation!r} in the policy")
        return access_dependency(operation, self.rules[operation])
