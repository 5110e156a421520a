"""Enrollment's whole access table: operation -> who may, and the scope that implies (shared/security).

SCOPED: the endpoint hands the caller's scope to the store, so lists hold only what the scope admits
and anything else out of scope answers 404. PROGRAMME: the path's programme must be one the scope
names (403 before anything runs). `personal=True` operations go to the audit trail (GET /audit).
"""

from shared.security import ANALYST, HR_INTEGRATION, PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER, Policy, rule
from shared.security import Filter as F

ADMIN, MANAGER, HR = PLATFORM_ADMIN, PROGRAMME_MANAGER, HR_INTEGRATION

POLICY = Policy({
    # operation                    who may                                  scope filter        audited
    "curricula.read":          rule(ADMIN, MANAGER, ANALYST, PARTICIPANT),
    "curricula.publish":       rule(ADMIN),
    "programmes.launch":       rule(ADMIN),
    "programmes.list":         rule(ADMIN, MANAGER, ANALYST,             filter=F.SCOPED),
    "programmes.read":         rule(ADMIN, MANAGER, ANALYST,             filter=F.SCOPED),
    "programmes.update":       rule(ADMIN, MANAGER,                      filter=F.PROGRAMME),
    "programmes.close":        rule(ADMIN, MANAGER,                      filter=F.PROGRAMME),
    "programmes.statistics":   rule(ADMIN, MANAGER,                      filter=F.SCOPED),
    "participants.enroll":     rule(ADMIN, HR, MANAGER,                  filter=F.SCOPED,    personal=True),
    "participants.import":     rule(ADMIN, HR,                                               personal=True),
    "participants.list":       rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "participants.read":       rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "participants.withdraw":   rule(ADMIN, MANAGER,                      filter=F.SCOPED,    personal=True),
    "participants.erase":      rule(ADMIN, MANAGER, PARTICIPANT,         filter=F.SCOPED,    personal=True),
    "audit.read":              rule(ADMIN),
})
allowed = POLICY.allowed
