"""Who is calling, as read from a verified token: nothing service-specific."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from shared.security.scope import NOTHING, Scope

PLATFORM_ADMIN = "platform-admin"
PROGRAMME_MANAGER = "programme-manager"
HR_INTEGRATION = "hr-integration"
PARTICIPANT = "participant"
ANALYST = "analyst"
# When a token carries several roles, a request acts in the first one its operation allows.
ROLES = (PLATFORM_ADMIN, PROGRAMME_MANAGER, HR_INTEGRATION, ANALYST, PARTICIPANT)


@dataclass(frozen=True)
class ClaimNames:
    """Where the roles and scopes are in a token; dotted paths reach nested claims (`realm_access.roles`)."""

    roles: str = "roles"
    countries: str = "binome_countries"
    programmes: str = "binome_programmes"
    participants: str = "binome_participant_ids"


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]
    countries: frozenset[str] = frozenset()
    programmes: frozenset[UUID] = frozenset()
    participant_ids: frozenset[UUID] = frozenset()
    client_id: str | None = None

    def scope_as(self, role: str) -> Scope:
        if role == PROGRAMME_MANAGER:
            if not self.countries and not self.programmes:
                return NOTHING  # a manager without any scope claim manages nothing
            return Scope(countries=self.countries or None, programmes=self.programmes or None)
        if role == PARTICIPANT:
            return Scope(participants=self.participant_ids)
        return Scope()


def _claim(claims: Mapping[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _strings(value: Any) -> list[str]:
    """A claim may be a list, one string, or space/comma-separated (as IdPs write multi-valued attributes)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, list | tuple):
        return [s for v in value if isinstance(v, str) for s in _strings(v)]
    return []


def _uuids(value: Any) -> frozenset[UUID]:
    found = set()
    for text in _strings(value):
        try:
            found.add(UUID(text))
        except ValueError:
            continue  # an id that is not ours grants nothing
    return frozenset(found)


def principal_from(claims: Mapping[str, Any], names: ClaimNames) -> Principal:
    return Principal(
        subject=str(claims.get("sub", "")),
        roles=frozenset(r for r in _strings(_claim(claims, names.roles)) if r in ROLES),
        countries=frozenset(c.upper() for c in _strings(_claim(claims, names.countries))),
        programmes=_uuids(_claim(claims, names.programmes)),
        participant_ids=_uuids(_claim(claims, names.participants)),
        client_id=claims.get("azp") or claims.get("client_id"),
    )
