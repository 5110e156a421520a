"""Who may do what: token verification -> Principal, a service's Policy -> Grant, the audit trail."""

from shared.security.policy import Filter, Grant, Policy, Rule, rule
from shared.security.principal import (
    ANALYST,
    HR_INTEGRATION,
    PARTICIPANT,
    PLATFORM_ADMIN,
    PROGRAMME_MANAGER,
    ROLES,
    ClaimNames,
    Principal,
)
from shared.security.scope import EVERYTHING, NOTHING, Scope
from shared.security.verifier import InvalidToken, TokenVerifier

__all__ = [
    "ANALYST",
    "EVERYTHING",
    "HR_INTEGRATION",
    "NOTHING",
    "PARTICIPANT",
    "PLATFORM_ADMIN",
    "PROGRAMME_MANAGER",
    "ROLES",
    "ClaimNames",
    "Filter",
    "Grant",
    "InvalidToken",
    "Policy",
    "Principal",
    "Rule",
    "Scope",
    "TokenVerifier",
    "rule",
]
