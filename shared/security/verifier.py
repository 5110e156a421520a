"""A bearer token -> the Principal it speaks for, or InvalidToken with a reason safe to show.

A token verified once is remembered until it expires (a client sends the same token for its whole
lifetime): a repeat costs a dictionary look-up and the expiry check, not a signature check. The
memory is bounded; a key withdrawn by the provider stops new tokens at once and remembered ones
when they expire, as with any stateless JWT.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import jwt
from jwt.exceptions import (
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuerError,
    InvalidSignatureError,
    MissingRequiredClaimError,
    PyJWTError,
)

from shared.security.jwks import Jwks, UnknownKey, WrongAlgorithm
from shared.security.principal import ClaimNames, Principal, principal_from

# Asymmetric only: an HS* token would be "signed" with whatever the verifier takes as the secret.
ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})


class InvalidToken(Exception):
    """`reason` names what is wrong in general terms; it never echoes the token or our expectations."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_REASONS: tuple[tuple[type[PyJWTError], str], ...] = (
    (ExpiredSignatureError, "the token has expired"),
    (ImmatureSignatureError, "the token is not valid yet"),
    (InvalidAudienceError, "the token is not meant for this API (audience)"),
    (InvalidIssuerError, "the token comes from an issuer this API does not trust"),
    (InvalidSignatureError, "the token's signature does not verify"),
    (MissingRequiredClaimError, "the token lacks a required claim"),
)


@dataclass
class TokenVerifier:
    issuer: str
    audience: str
    jwks: Jwks
    algorithms: frozenset[str] = frozenset({"RS256"})
    leeway_s: float = 30.0
    claims: ClaimNames = field(default_factory=ClaimNames)
    remembered: int = 10_000
    clock: Callable[[], float] = time.time
    _verified: dict[str, tuple[Principal, float]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        unsafe = set(self.algorithms) - ASYMMETRIC
        if unsafe or not self.algorithms:
            raise ValueError(f"token algorithms must be asymmetric signatures, not {sorted(unsafe) or 'none'}")

    async def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None:
            if self.clock() <= known[1] + self.leeway_s:
                return known[0]
            del self._verified[token]
        principal, expires = await self._verify(token)
        if len(self._verified) >= self.remembered:
            self._verified.pop(next(iter(self._verified)))  # the oldest first
        self._verified[token] = (principal, expires)
        return principal

    async def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except PyJWTError as exc:
            raise InvalidToken("the token is not a well-formed JWT") from exc
        algorithm = header.get("alg")
        if algorithm not in self.algorithms:
            raise InvalidToken("the token's signing algorithm is not accepted")
        try:
            key = await self.jwks.key(header.get("kid"), algorithm)
        except UnknownKey as exc:
            raise InvalidToken("the token was signed with a key the issuer does not publish") from exc
        except WrongAlgorithm as exc:
            raise InvalidToken("the token's signing algorithm does not match its key") from exc
        try:
            claims = jwt.decode(token, key.key, algorithms=[algorithm], audience=self.audience, issuer=self.issuer,
                                leeway=self.leeway_s, options={"require": ["exp", "iss", "aud", "sub"]})
        except PyJWTError as exc:
            reason = next((r for kind, r in _REASONS if isinstance(exc, kind)), "the token is not valid")
            raise InvalidToken(reason) from exc
        return principal_from(claims, self.claims), float(claims["exp"])
