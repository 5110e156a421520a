"""When the identity provider cannot be reached and no key is known yet, a request is answered 503
(try again), not taken for a bad token and never a crash; once keys are known, an outage changes nothing."""

import httpx

from enrollment.config import Settings
from enrollment.entrypoints.app import create_app
from shared.runtime import Services
from shared.security import TokenVerifier
from shared.security.jwks import Jwks
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork
from tests.local_issuer import LOCAL, local_runtime


class Switch:
    """The provider's network path: up or down."""

    def __init__(self) -> None:
        self.up, self.provider = False, LOCAL.fresh()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("connection refused")
        return await httpx.ASGITransport(app=self.provider.asgi()).handle_async_request(request)


async def test_no_keys_yet_is_a_503_and_known_keys_outlive_an_outage():
    switch = Switch()
    runtime = local_runtime(Settings())
    jwks = Jwks(LOCAL.issuer, client=httpx.AsyncClient(transport=httpx.MockTransport(switch.handle)))
    runtime.verifier = TokenVerifier(LOCAL.issuer, LOCAL.audience, jwks)
    uow = FakeEnrollmentUnitOfWork()
    app = create_app(services=Services(runtime, lambda: uow))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t",
                                 headers=LOCAL.admin()) as http:
        down = await http.get("/curricula")
        assert down.status_code == 503 and "identity provider" in down.json()["detail"][0]["msg"]
        switch.up = True
        assert (await http.get("/curricula")).status_code == 200
        switch.up = False
        assert (await http.get("/curricula")).status_code == 200
