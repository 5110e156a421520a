"""The platform the fuzzing tier attacks: the four services as OS processes on the real Kafka, store and
identity provider, with one programme, a mentor and a mentee, their pair and its sessions already there,
so generated requests that name them reach the code behind the 404s."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from shared.security import PLATFORM_ADMIN, PROGRAMME_MANAGER
from tests.factories import participant_request, programme_request
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import ROOT, Servers


@dataclass(frozen=True)
class FuzzedPlatform:
    urls: dict[str, str]
    tokens: dict[str, str]  # who calls: the admin (every operation is theirs) and a manager scoped to FR
    known: dict[str, str]  # path parameter -> an id that exists (programme, participant, pair, session)


async def _first_session(http: httpx.AsyncClient, url: str, programme_id: str, admin: dict[str, str],
                         timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = await http.get(f"{url}/sessions", params={"programme_id": programme_id}, headers=admin)
        if answer.status_code == 200 and answer.json()["items"]:
            return answer.json()["items"][0]
        await asyncio.sleep(1)
    raise AssertionError(f"no session planned for programme {programme_id} within {timeout} s")


@pytest.fixture(scope="session")
async def fuzzed(servers: Servers, run_id: str) -> AsyncIterator[FuzzedPlatform]:
    people = Identity(servers.oidc_issuer_url)
    try:
        admin = await people.headers(PLATFORM_ADMIN)
        with running_services(servers, ROOT / ".local" / "logs" / f"fuzz-{run_id}",
                              database_prefix=f"fuzz_{run_id}_") as svc:
            urls = {name: s.url for name, s in svc.items()}
            async with httpx.AsyncClient(timeout=30) as http:
                launched = await http.post(f"{urls['enrollment']}/programmes", json=programme_request(), headers=admin)
                assert launched.status_code == 201, launched.text
                pid = launched.json()["programme_id"]
                enrolled = [await http.post(f"{urls['enrollment']}/programmes/{pid}/participants", headers=admin,
                                            json=participant_request(f"F-{role}-{uuid.uuid4().hex[:6]}", role))
                            for role in ("mentor", "mentee")]
                assert [e.status_code for e in enrolled] == [201, 201], enrolled[-1].text
                session = await _first_session(http, urls["scheduling"], pid, admin)
            manager = await people.token(PROGRAMME_MANAGER, countries=["FR"])
            yield FuzzedPlatform(urls, {"admin": admin["Authorization"].removeprefix("Bearer "), "manager": manager},
                                 {"programme_id": pid, "participant_id": enrolled[1].json()["participant_id"],
                                  "pair_id": session["pair_id"], "session_id": session["session_id"]})
    finally:
        await people.close()
