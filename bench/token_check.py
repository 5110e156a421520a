"""What the bearer-token check adds to a request, with a warm key cache: p50/p99 of the same endpoint
with and without it, measured in one run, interleaved so that load on the machine hits both alike.

`uv run python -m bench.token_check [REQUESTS]` (PYTHONPATH=.:services). Uses enrollment's app over
ASGI (no network, no store: `GET /curricula` on the fake unit of work) and a real RS256 token: from
the identity provider in OIDC_ISSUER_URL when it answers (Keycloak locally), else from a key pair
made here. "Without" is the same app with the access check replaced by a fixed admin grant.
The verifier remembers a token once checked (until it expires), so the requests measure a client
reusing its token; the first use of a token (signature and claims) is timed on its own as well.
Writes its section of docs/benchmarks.md.
"""

import asyncio
import os
import platform
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi.routing import iter_route_contexts

from enrollment.config import Settings
from enrollment.entrypoints.app import create_app
from shared.runtime import Services, token_verifier
from shared.security import PLATFORM_ADMIN, Grant
from shared.security.install import access_check_of
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork
from tests.local_issuer import LOCAL, local_runtime
from tools.identity import Identity

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
SECTION = "## Identity: the token check's added latency"
PATH = "/curricula"


async def real_token() -> tuple[str, object, str] | None:
    issuer = os.getenv("OIDC_ISSUER_URL")
    if not issuer:
        return None
    identity = Identity(issuer)
    try:
        token = await identity.token(PLATFORM_ADMIN)
    except httpx.HTTPError:
        return None
    finally:
        await identity.close()
    return token, token_verifier(Settings(oidc_issuer_url=issuer)), f"Keycloak ({issuer})"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main(requests: int) -> None:
    found = await real_token()
    token, verifier, source = found or (LOCAL.token(PLATFORM_ADMIN), LOCAL.verifier(), "a local RSA key pair")
    uow = FakeEnrollmentUnitOfWork()
    runtime = local_runtime(Settings())
    runtime.verifier = verifier
    checked = create_app(services=Services(runtime, lambda: uow))
    unchecked = create_app(services=Services(local_runtime(Settings()), lambda: uow))
    route = next(c.original_route for c in iter_route_contexts(unchecked.routes)
                 if getattr(c.original_route, "path", None) == PATH)
    check = access_check_of(route)
    principal = await verifier.verify(token)  # warms the key cache
    grant = Grant(principal, PLATFORM_ADMIN, check.operation, principal.scope_as(PLATFORM_ADMIN))

    async def fixed_grant() -> Grant:  # async, like the check: a sync one would run in a thread pool
        return grant

    unchecked.dependency_overrides[check] = fixed_grant
    headers = {"Authorization": f"Bearer {token}"}
    clients = {name: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b", headers=headers)
               for name, app in (("with", checked), ("without", unchecked))}
    times: dict[str, list[float]] = {"with": [], "without": [], "verify": []}
    for i in range(requests + 200):
        for name in ("with", "without") if i % 2 else ("without", "with"):
            start = time.perf_counter()
            response = await clients[name].get(PATH)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.text
            if i >= 200:  # the first ones warm up both apps
                times[name].append(elapsed)
        start = time.perf_counter()
        await verifier._verify(token)  # a token's first use: signature and claims, nothing remembered
        times["verify"].append(time.perf_counter() - start)
    write(requests, source, times)


def write(requests: int, source: str, times: dict[str, list[float]]) -> None:
    times["paired"] = [a - b for a, b in zip(times["with"], times["without"], strict=True)]
    ms = {name: (1000 * percentile(v, 50), 1000 * percentile(v, 99)) for name, v in times.items()}
    added = (ms["with"][0] - ms["without"][0], ms["with"][1] - ms["without"][1])
    lines = [SECTION, "",
             f"`uv run python -m bench.token_check {requests}` on {platform.node()} ({os.cpu_count()} CPUs, "
             f"Python {platform.python_version()}), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {requests} requests "
             f"each, interleaved; RS256 token from {source}; load average {os.getloadavg()[0]:.1f} at the end.", "",
             "| `GET /curricula` (enrollment, in-process) | p50 | p99 |", "|---|---|---|",
             f"| without the token check (fixed grant) | {ms['without'][0]:.3f} ms | {ms['without'][1]:.3f} ms |",
             "| with it (warm key cache; the client's token remembered after its first use) | "
             f"{ms['with'][0]:.3f} ms | "
             f"{ms['with'][1]:.3f} ms |",
             f"| **added by the check** (difference of the percentiles) | **{added[0]:.3f} ms** | "
             f"**{added[1]:.3f} ms** (target ≤ 1 ms) |",
             f"| the same, request by request (with − without, back to back) | {ms['paired'][0]:.3f} ms | "
             f"{ms['paired'][1]:.3f} ms |",
             f"| a token's first use alone (RS256 signature, iss, aud, exp, nbf, claims) | {ms['verify'][0]:.3f} ms | "
             f"{ms['verify'][1]:.3f} ms |"]
    text = DOC.read_text()
    pattern = re.compile(rf"{re.escape(SECTION)}\n.*?(?=\n## |\Z)", re.S)
    section = "\n".join(lines) + "\n"
    text = pattern.sub(section, text) if SECTION in text else text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)
    print(section)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
