"""The identity provider's signing keys, fetched once and kept (re-read after `max_age_s`); fetched
again at once for a key id not seen yet (key rotation), but at most once per `min_refresh_s` for
unknown ids, so that tokens with made-up key ids cannot make us hammer the provider."""

import asyncio
import logging
import time

import httpx
from jwt import PyJWK
from jwt.exceptions import PyJWTError

log = logging.getLogger(__name__)
SIGNING_KEYS = ("RSA", "EC", "OKP")


class UnknownKey(Exception):
    """No key of the provider matches the token's key id."""


class WrongAlgorithm(Exception):
    """The key exists but is declared for another algorithm, or is of a type that cannot do it."""


class ProviderUnavailable(Exception):
    """The provider's keys could not be fetched and none are known yet."""


class Jwks:
    def __init__(self, issuer: str, jwks_uri: str | None = None, client: httpx.AsyncClient | None = None,
                 min_refresh_s: float = 30.0, max_age_s: float = 3600.0) -> None:
        self.issuer, self.jwks_uri = issuer.rstrip("/"), jwks_uri
        self._client = client
        self.min_refresh_s, self.max_age_s = min_refresh_s, max_age_s
        self._keys: dict[str | None, dict] = {}
        self._ready: dict[tuple[str | None, str], PyJWK] = {}
        self._fetched_at = self._unknown_at = -float("inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def key(self, kid: str | None, algorithm: str) -> PyJWK:
        """The key `kid` for verifying `algorithm`: WrongAlgorithm when it is declared or typed for another."""
        if time.monotonic() - self._fetched_at > self.max_age_s:
            await self._refresh(force=True)
        data = self._lookup(kid)
        if data is None:
            await self._refresh(force=False)
            data = self._lookup(kid)
        if data is None:
            raise UnknownKey(kid)
        if data.get("alg", algorithm) != algorithm:
            raise WrongAlgorithm(algorithm)
        ready = self._ready.get((kid, algorithm))
        if ready is None:
            try:
                ready = self._ready[kid, algorithm] = PyJWK(data, algorithm)
            except PyJWTError as exc:
                raise WrongAlgorithm(algorithm) from exc
        return ready

    def _lookup(self, kid: str | None) -> dict | None:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid)

    async def _refresh(self, force: bool) -> None:
        async with self._lock:
            if not force:
                if time.monotonic() - self._unknown_at < self.min_refresh_s:
                    return
                self._unknown_at = time.monotonic()
            try:
                keys = await self._fetch()
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                log.warning("could not fetch the signing keys of %s: %r", self.issuer, exc)
                if not self._keys:
                    raise ProviderUnavailable(self.issuer) from exc
                return  # keep the keys we have; try again after min_refresh_s
            finally:
                self._fetched_at = time.monotonic()
            self._keys, self._ready = keys, {}

    async def _fetch(self) -> dict[str | None, dict]:
        client = self._client or httpx.AsyncClient(timeout=5.0)
        self._client = client
        if self.jwks_uri is None:
            discovery = await client.get(f"{self.issuer}/.well-known/openid-configuration")
            discovery.raise_for_status()
            self.jwks_uri = discovery.json()["jwks_uri"]
        response = await client.get(self.jwks_uri)
        response.raise_for_status()
        self.fetches += 1
        # Encryption keys and shared secrets never verify a signature here.
        keys = {data.get("kid"): data for data in response.json().get("keys", [])
                if isinstance(data, dict) and data.get("use", "sig") == "sig" and data.get("kty") in SIGNING_KEYS}
        if not keys:
            raise ValueError("the provider published no signing key")
        return keys
