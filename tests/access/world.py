"""What every service's access world has in common: the callers of the matrix, each with the token of
one role and scope, and the requests that exercise one operation each."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from shared.security import ANALYST, HR_INTEGRATION, PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER, Scope
from tests.local_issuer import LOCAL

# The columns of the expected tables, in order.
CALLERS = ("admin", "pm-FR", "pm-JP", "pm-P", "pm-Q", "hr", "analyst", "owner", "stranger")


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # formatted with the world's ids: {P}, {A}, {pair}, ...
    body: Any = None
    csv: bool = False
    # For lists: how to tell, from one item of the answer, whether the caller's scope admits it.
    admits: Callable[[Scope, dict[str, Any]], bool] | None = None
    items: str = "items"


@dataclass
class World:
    """One fresh set of data: `ids` names it for the paths; A is the owner, P the programme in scope."""

    http: httpx.AsyncClient
    ids: dict[str, Any] = field(default_factory=dict)

    def token_of(self, caller: str) -> tuple[str, Scope]:
        stranger = uuid.uuid4()
        roles: dict[str, tuple[str, dict[str, Any]]] = {
            "admin": (PLATFORM_ADMIN, {}), "hr": (HR_INTEGRATION, {}), "analyst": (ANALYST, {}),
            "pm-FR": (PROGRAMME_MANAGER, {"countries": ["FR"]}), "pm-JP": (PROGRAMME_MANAGER, {"countries": ["JP"]}),
            "pm-P": (PROGRAMME_MANAGER, {"programmes": [self.ids["P"]]}),
            "pm-Q": (PROGRAMME_MANAGER, {"programmes": [uuid.uuid4()]}),
            "owner": (PARTICIPANT, {"participants": [self.ids["A"]]}),
            "stranger": (PARTICIPANT, {"participants": [stranger]}),
        }
        role, scope = roles[caller]
        token = LOCAL.token(role, **scope)
        return token, Scope(
            countries=frozenset(scope["countries"]) if "countries" in scope else None,
            programmes=frozenset(scope["programmes"]) if "programmes" in scope else None,
            participants=frozenset(scope["participants"]) if "participants" in scope else None)

    async def send(self, call: Call, token: str | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        path = call.path.format(**self.ids)
        body = call.body(self.ids) if callable(call.body) else call.body
        if call.csv:
            return await self.http.request(call.method, path, content=body.encode(),
                                           headers={**headers, "content-type": "text/csv"})
        return await self.http.request(call.method, path, json=body, headers=headers)


def person_level(programme: str = "programme_id", country: str = "country",
                 *members: str) -> Callable[[Scope, dict[str, Any]], bool]:
    def admits(scope: Scope, item: dict[str, Any]) -> bool:
        return scope.admits(uuid.UUID(item[programme]), item.get(country), [uuid.UUID(item[m]) for m in members])

    return admits


def programme_wide(scope: Scope, item: dict[str, Any]) -> bool:
    return scope.covers_programme(uuid.UUID(item["programme_id"]))


Seed = Callable[[], Awaitable[World]]
ADMIN = {"Authorization": f"Bearer {LOCAL.token(PLATFORM_ADMIN)}"}
