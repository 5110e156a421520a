from collections.abc import AsyncIterator

import pytest

from tools.identity import Identity
from tools.servers import Servers


@pytest.fixture(scope="session")
async def people(servers: Servers) -> AsyncIterator[Identity]:
    """Real tokens from the identity provider the services trust (Keycloak locally)."""
    identity = Identity(servers.oidc_issuer_url)
    yield identity
    await identity.close()
