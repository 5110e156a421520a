"""Matching's whole access table: operation -> who may, and the scope that implies (shared/security).

SCOPED: the endpoint hands the caller's scope to the store, so lists hold only what the scope admits
and anything else out of scope answers 404. PROGRAMME: the path's programme must be one the scope
names (403 before anything runs). `personal=True` operations go to the audit trail (GET /audit).
"""

from shared.security import PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER, Policy, rule
from shared.security import Filter as F

ADMIN, MANAGER = PLATFORM_ADMIN, PROGRAMME_MANAGER

POLICY = Policy({
    # operation                    who may                                  scope filter        audited
    "pairs.list":              rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "pairs.read":              rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "programmes.read":         rule(ADMIN, MANAGER,                      filter=F.PROGRAMME, personal=True),
    "programmes.set-mode":     rule(ADMIN, MANAGER,                      filter=F.PROGRAMME),
    "pair-rules.set":          rule(ADMIN, MANAGER,                      filter=F.PROGRAMME, personal=True),
    "rounds.preview":          rule(ADMIN, MANAGER,                      filter=F.PROGRAMME, personal=True),
    "rounds.read":             rule(ADMIN, MANAGER,                      filter=F.PROGRAMME, personal=True),
    "rounds.decide":           rule(ADMIN, MANAGER,                      filter=F.PROGRAMME, personal=True),
    "audit.read":              rule(ADMIN),
})
allowed = POLICY.allowed
