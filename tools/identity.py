"""Real tokens from the identity provider for the tests and the demo: Keycloak's binome realm
(deploy/keycloak/binome-realm.json), or any provider holding the same clients and roles.

    identity = Identity(issuer_url)
    await identity.headers(PLATFORM_ADMIN)                                  # the realm's admin user
    await identity.headers(PROGRAMME_MANAGER, countries=["FR"])             # a user made for that scope
    await identity.headers(PARTICIPANT, participants=[participant_id])
    await identity.hr_headers()                                             # client credentials
    await identity.people([Person((PARTICIPANT,), participants=(id,)), ...])  # many users in one call

Users with given roles and scopes are created through the admin API with the realm's local-only
`binome-identity-admin` client; every token comes from the provider's own token endpoint.
"""

import asyncio
import hashlib
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from shared.security.principal import PLATFORM_ADMIN

# The development realm's clients (deploy/keycloak/binome-realm.json); never use these secrets elsewhere.
PEOPLE_CLIENT = "binome-cli"
HR_CLIENT, HR_SECRET = "binome-hr-integration", "dev-hr-integration-secret"
ADMIN_CLIENT, ADMIN_SECRET = "binome-identity-admin", "dev-identity-admin-secret"
REALM_ADMIN, REALM_ADMIN_PASSWORD = "admin", "admin-password"


@dataclass(frozen=True)
class Person:
    roles: tuple[str, ...]
    countries: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()

    @property
    def username(self) -> str:
        digest = hashlib.sha256(repr(self).encode()).hexdigest()[:16]
        return f"{'-'.join(self.roles)}-{digest}"

    def representation(self, password: str) -> dict[str, Any]:
        return {"username": self.username, "enabled": True, "emailVerified": True,
                "email": f"{self.username}@binome.test", "firstName": self.roles[0], "lastName": "Test",
                "realmRoles": list(self.roles),
                "attributes": {"binome_countries": list(self.countries), "binome_programmes": list(self.programmes),
                               "binome_participant_ids": list(self.participants)},
                "credentials": [{"type": "password", "value": password, "temporary": False}]}


class Identity:
    def __init__(self, issuer_url: str, timeout: float = 30.0) -> None:
        self.issuer = issuer_url.rstrip("/")
        self.http = httpx.AsyncClient(timeout=timeout)
        self.admin_api = self.issuer.replace("/realms/", "/admin/realms/", 1)
        self._password = secrets.token_urlsafe(16)
        self._tokens: dict[Any, tuple[str, float]] = {}
        self._known: set[str] = set()
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        await self.http.aclose()

    async def _grant(self, form: dict[str, str]) -> tuple[str, float]:
        response = await self.http.post(f"{self.issuer}/protocol/openid-connect/token", data=form)
        if response.status_code != 200:
            raise RuntimeError(f"the identity provider refused a token ({form['grant_type']}): "
                               f"{response.status_code} {response.text[:300]}")
        body = response.json()
        return body["access_token"], time.monotonic() + body["expires_in"]

    async def _cached(self, key: Any, form: dict[str, str]) -> str:
        token, expires = self._tokens.get(key, ("", 0.0))
        if time.monotonic() > expires - 60:
            token, expires = self._tokens[key] = await self._grant(form)
        return token

    async def hr_token(self) -> str:
        return await self._cached(HR_CLIENT, {"grant_type": "client_credentials", "client_id": HR_CLIENT,
                                              "client_secret": HR_SECRET})

    async def hr_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.hr_token()}"}

    async def password_token(self, username: str, password: str) -> str:
        return await self._cached(("user", username), {"grant_type": "password", "client_id": PEOPLE_CLIENT,
                                                        "username": username, "password": password})

    async def token(self, *roles: str, countries: Iterable[str] = (), programmes: Iterable[Any] = (),
                    participants: Iterable[Any] = ()) -> str:
        person = Person(tuple(roles), tuple(countries), tuple(str(p) for p in programmes),
                        tuple(str(p) for p in participants))
        if person == Person((PLATFORM_ADMIN,)):
            return await self.password_token(REALM_ADMIN, REALM_ADMIN_PASSWORD)
        await self.people([person])
        return await self.password_token(person.username, self._password)

    async def headers(self, *roles: str, **scope: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self.token(*roles, **scope)}"}

    async def people(self, people: Iterable[Person]) -> None:
        """Creates (or overwrites) these users in one partial import; their password is this helper's."""
        async with self._lock:
            missing = list({p.username: p for p in people if p.username not in self._known}.values())
            if not missing:
                return
            admin = await self._cached(ADMIN_CLIENT, {"grant_type": "client_credentials", "client_id": ADMIN_CLIENT,
                                                      "client_secret": ADMIN_SECRET})
            body = {"ifResourceExists": "OVERWRITE", "users": [p.representation(self._password) for p in missing]}
            response = await self.http.post(f"{self.admin_api}/partialImport", json=body,
                                            headers={"Authorization": f"Bearer {admin}"})
            if response.status_code != 200:
                raise RuntimeError(f"could not create users: {response.status_code} {response.text[:300]}")
            self._known |= {p.username for p in missing}
