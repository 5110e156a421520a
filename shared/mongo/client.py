"""One AsyncMongoClient per service process (pymongo's native async API; motor is end-of-life).

Every wait on the store is bounded, so a wedged store (a process stopped, a lock never released) turns
into a timeout error, which the consumers retry as an outage and the HTTP routes answer with 503, instead
of handlers and probes that never return: finding a server (server selection), opening a connection
(connect, the handshake included), and each round trip on it (socket). The round trip's bound is a
socket timeout, not a client-wide `timeoutMS`: an operation is made of many round trips (a cursor's
batches, an import's 500-row inserts, a round's bulk updates in commands of 20), and only a single one
that never ends is a wedged store. Probes put a short operation timeout of their own (`ping`).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pymongo
from pymongo import AsyncMongoClient

if TYPE_CHECKING:
    from shared.settings import BaseServiceSettings


@dataclass(frozen=True)
class StoreTimeouts:
    server_selection_ms: int = 5_000
    connect_ms: int = 5_000
    socket_ms: int = 120_000  # one round trip; 0: none
    ready_ms: int = 2_000  # a probe's ping, server selection included

    @classmethod
    def of(cls, settings: "BaseServiceSettings") -> "StoreTimeouts":
        return cls(settings.mongodb_server_selection_timeout_ms, settings.mongodb_connect_timeout_ms,
                   settings.mongodb_socket_timeout_ms, settings.mongodb_ready_timeout_ms)


def make_client(url: str, timeouts: StoreTimeouts = StoreTimeouts()) -> AsyncMongoClient:
    # tz_aware: datetimes come back as aware UTC, as they went in.
    return AsyncMongoClient(url, tz_aware=True, uuidRepresentation="standard",
                            serverSelectionTimeoutMS=timeouts.server_selection_ms,
                            connectTimeoutMS=timeouts.connect_ms, socketTimeoutMS=timeouts.socket_ms or None)


async def ping(client: AsyncMongoClient, timeout_s: float = StoreTimeouts.ready_ms / 1000) -> bool:
    """The store answers within `timeout_s`. pymongo ends the ping itself (it raises a timeout error and
    closes the connection): a probe cancelled from outside can break the client (shared/observability/http.py)."""
    with pymongo.timeout(timeout_s):
        await client.admin.command("ping")
    return True
