"""Scheduling's whole access table: operation -> who may, and the scope that implies (shared/security).

SCOPED: the endpoint hands the caller's scope to the store, so lists hold only what the scope admits
and anything else out of scope answers 404. PROGRAMME: the path's programme must be one the scope
names (403 before anything runs). `personal=True` operations go to the audit trail (GET /audit).
Cafés are programme-wide: a manager sees those of the programmes the token names.
"""

from shared.security import PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER, Policy, rule
from shared.security import Filter as F

ADMIN, MANAGER = PLATFORM_ADMIN, PROGRAMME_MANAGER

POLICY = Policy({
    # operation                    who may                                  scope filter        audited
    "pairs.list":              rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "pairs.read":              rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "pairs.calendar":          rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "sessions.list":           rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "sessions.read":           rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "sessions.invite":         rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "sessions.complete":       rule(ADMIN, MANAGER,                      filter=F.SCOPED,    personal=True),
    "sessions.miss":           rule(ADMIN, MANAGER,                      filter=F.SCOPED,    personal=True),
    "sessions.reschedule":     rule(ADMIN, MANAGER,                      filter=F.SCOPED,    personal=True),
    "sessions.cancel":         rule(ADMIN, MANAGER,                      filter=F.SCOPED,    personal=True),
    "agenda.read":             rule(ADMIN, PARTICIPANT,                  filter=F.SCOPED,    personal=True),
    "cafes.publish":           rule(ADMIN, MANAGER,                      filter=F.PROGRAMME),
    "cafes.list":              rule(ADMIN, MANAGER,                      filter=F.SCOPED,    personal=True),
    "cafes.read":              rule(ADMIN, MANAGER,                      filter=F.SCOPED,    personal=True),
    "cafes.join":              rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "operations.tick":         rule(ADMIN),
    "audit.read":              rule(ADMIN),
})
allowed = POLICY.allowed
