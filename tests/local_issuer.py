"""A real OIDC issuer's signing side, in-process: an RSA key pair, its JWKS served over an ASGI app,
and tokens for every role. Component tests verify these with the production verifier (no mocks);
integration and e2e tests use real Keycloak tokens (tools/identity.py) instead.
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterable
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from shared.runtime import Runtime
from shared.security import ClaimNames, TokenVerifier
from shared.security.jwks import Jwks
from shared.security.principal import ANALYST, HR_INTEGRATION, PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER

ISSUER = "https://login.test/realms/binome"
AUDIENCE = "binome-api"


class LocalIssuer:
    def __init__(self, issuer: str = ISSUER, audience: str = AUDIENCE, key: rsa.RSAPrivateKey | None = None) -> None:
        self.issuer, self.audience = issuer, audience
        self.keys = {"key-1": key or rsa.generate_private_key(public_exponent=65537, key_size=2048)}
        self.published = ["key-1"]
        self.jwks_requests = 0

    # --- the provider's side ---------------------------------------------------------------

    def rotate(self) -> str:
        """A new signing key, published beside the old one (as providers do before switching)."""
        kid = f"key-{len(self.keys) + 1}"
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.published.append(kid)
        return kid

    def fresh(self) -> "LocalIssuer":
        """Another issuer with the same first key (generating one takes a while) and its own counters."""
        return LocalIssuer(self.issuer, self.audience, self.keys["key-1"])

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid in self.published:
            jwk = json.loads(RSAAlgorithm.to_jwk(self.keys[kid].public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}

    def asgi(self) -> Starlette:
        async def discovery(_: Any) -> JSONResponse:
            return JSONResponse({"issuer": self.issuer, "jwks_uri": f"{self.issuer}/protocol/openid-connect/certs"})

        async def certs(_: Any) -> JSONResponse:
            self.jwks_requests += 1
            return JSONResponse(self.jwks())

        path = httpx.URL(self.issuer).path
        return Starlette(routes=[Route(f"{path}/.well-known/openid-configuration", discovery),
                                 Route(f"{path}/protocol/openid-connect/certs", certs)])

    def verifier(self, min_refresh_s: float = 30.0) -> TokenVerifier:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.asgi()))
        return TokenVerifier(self.issuer, self.audience, Jwks(self.issuer, client=client, min_refresh_s=min_refresh_s),
                             frozenset({"RS256"}), 30.0, ClaimNames())

    # --- tokens ----------------------------------------------------------------------------

    def claims(self, roles: Iterable[str], countries: Iterable[str] = (), programmes: Iterable[Any] = (),
               participants: Iterable[Any] = (), **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.audience, "sub": str(uuid.uuid4()), "iat": now, "nbf": now - 1,
                  "exp": now + 300, "azp": "binome-tests", "roles": list(roles),
                  "binome_countries": list(countries), "binome_programmes": [str(p) for p in programmes],
                  "binome_participant_ids": [str(p) for p in participants]}
        return {**claims, **overrides}

    def sign(self, claims: dict[str, Any], kid: str = "key-1", algorithm: str = "RS256") -> str:
        return jwt.encode(claims, self.keys[kid], algorithm=algorithm, headers={"kid": kid})

    def token(self, *roles: str, countries: Iterable[str] = (), programmes: Iterable[Any] = (),
              participants: Iterable[Any] = (), kid: str = "key-1", **overrides: Any) -> str:
        return self.sign(self.claims(roles, countries, programmes, participants, **overrides), kid)

    def headers(self, *roles: str, **scope: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*roles, **scope)}"}

    def admin(self) -> dict[str, str]:
        return self.headers(PLATFORM_ADMIN)

    # --- tokens that must be refused --------------------------------------------------------

    def bad_tokens(self) -> dict[str, str]:
        good = self.claims([PLATFORM_ADMIN])
        signed = self.sign(good)
        head, body, signature = signed.split(".")
        tampered_body = _b64(json.dumps({**good, "roles": [PLATFORM_ADMIN, "x"]}).encode())
        # The classic confusion attack: HMAC "signed" with the public key, which anyone can fetch.
        public_pem = self.keys["key-1"].public_key().public_bytes(serialization.Encoding.PEM,
                                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
        unsigned_head = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": "key-1"}).encode())
        hmac_head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "key-1"}).encode())
        hmac_signature = _b64(hmac.new(public_pem, f"{hmac_head}.{body}".encode(), hashlib.sha256).digest())
        return {
            "expired": self.sign({**good, "exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}),
            "wrong audience": self.sign({**good, "aud": "another-api"}),
            "wrong issuer": self.sign({**good, "iss": "https://evil.test/realms/binome"}),
            "tampered": f"{head}.{tampered_body}.{signature}",
            "alg none": f"{unsigned_head}.{body}.",
            "HS256 with the public key": f"{hmac_head}.{body}.{hmac_signature}",
            "not a JWT": "not-a-token",
        }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeAuditLog:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    async def record(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)

    async def ensure_indexes(self) -> None:
        return None

    async def page(self, participant_id: Any, subject: Any, operation: Any, since: Any, offset: int,
                   limit: int) -> tuple[list[dict[str, Any]], int]:
        found = [e for e in reversed(self.entries) if participant_id is None or str(participant_id)
                 in e["participant_ids"]]
        return found[offset:offset + limit], len(found)


LOCAL = LocalIssuer()
ROLE_NAMES = {"admin": PLATFORM_ADMIN, "manager": PROGRAMME_MANAGER, "hr": HR_INTEGRATION, "analyst": ANALYST,
              "participant": PARTICIPANT}


def local_runtime(settings: Any) -> Runtime:
    """A service runtime whose tokens come from LOCAL and whose audit trail stays in memory."""
    runtime = Runtime.build(settings, ())
    runtime.verifier = LOCAL.verifier()
    runtime.audit = FakeAuditLog()  # type: ignore[assignment]
    return runtime
