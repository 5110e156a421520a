"""The verifier against a real RSA-signing issuer served in-process: keys fetched once and kept, fetched
again for a new key id (rotation) but not for every made-up one, and claims checked with a small leeway."""

import time

import httpx
import pytest

from shared.security import PLATFORM_ADMIN, PROGRAMME_MANAGER, InvalidToken, TokenVerifier
from shared.security.jwks import Jwks, ProviderUnavailable
from shared.settings import BaseServiceSettings
from tests.local_issuer import LOCAL, LocalIssuer


@pytest.fixture
def issuer() -> LocalIssuer:
    return LOCAL.fresh()


async def test_a_valid_token_gives_its_principal_and_the_keys_are_fetched_once(issuer):
    verifier = issuer.verifier()
    token = issuer.token(PROGRAMME_MANAGER, countries=["fr", "DE"], programmes=["not-a-uuid"], sub="alice")
    for _ in range(5):
        principal = await verifier.verify(token)
    assert (principal.subject, principal.roles, principal.countries) == ("alice", {PROGRAMME_MANAGER}, {"FR", "DE"})
    assert principal.programmes == frozenset(), "an id that is not ours grants nothing"
    assert issuer.jwks_requests == 1


async def test_a_rotated_key_is_fetched_on_first_sight_but_made_up_key_ids_do_not_hammer_the_provider(issuer):
    verifier = issuer.verifier(min_refresh_s=0)
    await verifier.verify(issuer.token(PLATFORM_ADMIN))
    new = issuer.rotate()
    assert (await verifier.verify(issuer.token(PLATFORM_ADMIN, kid=new))).roles == {PLATFORM_ADMIN}
    assert issuer.jwks_requests == 2
    slow = issuer.verifier(min_refresh_s=60)
    await slow.verify(issuer.token(PLATFORM_ADMIN))
    issuer.keys["ghost"] = issuer.keys["key-1"]
    for _ in range(3):
        with pytest.raises(InvalidToken, match="key the issuer does not publish"):
            await slow.verify(issuer.token(PLATFORM_ADMIN, kid="ghost"))
    assert issuer.jwks_requests == 4, "one fetch at first use, one for the unknown key id, then none"


@pytest.mark.parametrize(("claims", "reason"), [
    ({"exp": -31}, "expired"),  # seconds from now: beyond the 30 s leeway
    ({"nbf": 120}, "not valid yet"),
    ({"aud": ["someone-else"]}, "audience"),
    ({"iss": "https://login.test/realms/other"}, "issuer"),
    ({"sub": None}, "lacks a required claim"),
])
async def test_claims_are_checked(issuer, claims, reason):
    now = int(time.time())  # taken when the test runs, not when it is collected
    claims = {k: now + v if k in ("exp", "nbf") else v for k, v in claims.items()}
    token = issuer.sign({k: v for k, v in issuer.claims([PLATFORM_ADMIN], **claims).items() if v is not None})
    with pytest.raises(InvalidToken, match=reason):
        await issuer.verifier().verify(token)


async def test_a_token_is_checked_once_then_remembered_until_it_expires(issuer):
    verifier, now = issuer.verifier(), time.time()
    token = issuer.token(PLATFORM_ADMIN, exp=int(now) + 60)
    checks, check = [], verifier._verify

    async def counted(t: str):
        checks.append(t)
        return await check(t)

    verifier._verify = counted
    for _ in range(3):
        assert (await verifier.verify(token)).roles == {PLATFORM_ADMIN}
    assert len(checks) == 1
    verifier.clock = lambda: now + 60 + verifier.leeway_s + 1
    await verifier.verify(token)
    assert len(checks) == 2, "past its expiry, a remembered token is checked again (and refused if expired)"


async def test_a_little_clock_skew_is_tolerated(issuer):
    token = issuer.token(PLATFORM_ADMIN, exp=int(time.time()) - 10, nbf=int(time.time()) + 10)
    assert (await issuer.verifier().verify(token)).roles == {PLATFORM_ADMIN}


@pytest.mark.parametrize("name", ["alg none", "HS256 with the public key", "tampered", "not a JWT"])
async def test_forged_tokens_are_refused(issuer, name):
    with pytest.raises(InvalidToken):
        await issuer.verifier().verify(issuer.bad_tokens()[name])


async def test_an_algorithm_outside_the_pinned_list_is_refused_even_when_correctly_signed(issuer):
    token = issuer.sign(issuer.claims([PLATFORM_ADMIN]), algorithm="RS512")
    with pytest.raises(InvalidToken, match="algorithm is not accepted"):
        await issuer.verifier().verify(token)


def test_symmetric_or_no_algorithms_cannot_be_configured(issuer):
    with pytest.raises(ValueError, match="asymmetric"):
        TokenVerifier(issuer.issuer, issuer.audience, Jwks(issuer.issuer), frozenset({"HS256"}))
    with pytest.raises(ValueError, match="never none or HS"):
        BaseServiceSettings(service_name="x", oidc_algorithms="RS256,none")


async def test_an_unreachable_provider_without_cached_keys_is_reported_as_such(issuer):
    def refuse(_: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    jwks = Jwks(issuer.issuer, client=httpx.AsyncClient(transport=httpx.MockTransport(refuse)))
    with pytest.raises(ProviderUnavailable):
        await TokenVerifier(issuer.issuer, issuer.audience, jwks).verify(issuer.token(PLATFORM_ADMIN))
