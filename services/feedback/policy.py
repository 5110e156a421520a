"""Feedback's whole access table: operation -> who may, and the scope that implies (shared/security).

SCOPED: the endpoint hands the caller's scope to the store, so lists hold only what the scope admits
and anything else out of scope answers 404 (a participant answers only for themself: 403).
`personal=True` operations go to the audit trail (GET /audit). Impact reports are aggregates with
k-anonymity: a manager scoped by programme gets the whole report, one scoped by country only the
groups of their countries.
"""

from shared.security import ANALYST, PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER, Policy, rule
from shared.security import Filter as F

ADMIN, MANAGER = PLATFORM_ADMIN, PROGRAMME_MANAGER

POLICY = Policy({
    # operation                    who may                                  scope filter        audited
    "surveys.submit":          rule(ADMIN, PARTICIPANT,                  filter=F.SCOPED,    personal=True),
    "surveys.list":            rule(ADMIN, MANAGER,                      filter=F.SCOPED,    personal=True),
    "end-surveys.submit":      rule(ADMIN, PARTICIPANT,                  filter=F.SCOPED,    personal=True),
    "invitations.list":        rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "impact.read":             rule(ADMIN, MANAGER, ANALYST,             filter=F.SCOPED),
    "audit.read":              rule(ADMIN),
})
allowed = POLICY.allowed
