"""A wedged store (its process stopped with SIGSTOP) gives timeout errors and a readiness of 503, not
handlers and probes that never return; once it runs again (SIGCONT) the same client serves again.

The store is a FerretDB of this module's own: stopping the shared one would hold up the other tests.
The `wait_for` bounds below only turn a hang into a failure; they are not latency targets.
"""

import asyncio
import contextlib
import os
import signal
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pymongo.errors import PyMongoError

from enrollment.config import Settings
from enrollment.entrypoints.app import create_app
from shared.messaging.failures import transient_dependency
from shared.mongo.client import StoreTimeouts, make_client, ping
from tests.kafka_probe import eventually
from tools.servers import ServersUnavailable, infra_pid, throwaway_infra

HANG = 60  # seconds: far beyond every timeout under test, so that only a hang reaches it


@dataclass(frozen=True)
class Store:
    url: str
    pid: int

    @contextlib.asynccontextmanager
    async def stopped(self) -> AsyncIterator[None]:
        os.kill(self.pid, signal.SIGSTOP)
        try:
            assert await eventually(self._is_stopped, HANG, 0.05), f"FerretDB (pid {self.pid}) did not stop"
            yield
        finally:
            os.kill(self.pid, signal.SIGCONT)

    async def _is_stopped(self) -> bool:
        return Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"


def _listener(port: int) -> int | None:
    """The pid whose socket listens on 127.0.0.1:port, if any (from /proc, as `ss -ltnp` reads it)."""
    inodes = set()
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        fields = line.split()
        if fields[1] == f"0100007F:{port:04X}" and fields[3] == "0A":  # LISTEN
            inodes.add(f"socket:[{fields[9]}]")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") in inodes for fd in os.listdir(f"/proc/{pid}/fd")):
                return int(pid)
    return None



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    # The port is free when chosen, but a server started meanwhile (the fault tier runs beside this one)
    # may take it first: then ours cannot listen, and the port answers for another process. The store is
    # the one whose process listens there, or another port is tried.
    for _ in range(3):
        port = _free_port()
        with throwaway_infra(("ferretdb",), {"BINOME_MONGO_PORT": str(port)}) as env:
            try:
                pid = infra_pid("ferretdb", env)
            except ServersUnavailable:  # ours exited: it could not listen
                continue
            if _listener(port) == pid:
                yield Store(f"mongodb://127.0.0.1:{port}/", pid)
                return
    pytest.fail("three throwaway FerretDBs in a row did not get the port they were given")


async def _ready(http: httpx.AsyncClient) -> httpx.Response:
    return await asyncio.wait_for(http.get("/health/ready"), HANG)


async def test_readiness_answers_503_while_the_store_is_stopped_and_200_once_it_runs_again(store):
    settings = Settings(mongodb_url=store.url, mongodb_database=f"it_wedged_{uuid.uuid4().hex[:8]}")
    app = create_app(settings)  # no lifespan: the readiness probe needs the store's client only
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://enrollment") as http:
        assert (await _ready(http)).status_code == 200
        async with store.stopped():
            wedged = await _ready(http)
            assert wedged.status_code == 503
            assert wedged.json() == {"status": "not ready", "checks": {"mongodb": "down"}}
        for _ in range(HANG):  # the client finds the server again (its monitor's next check)
            if (back := await _ready(http)).status_code == 200:
                break
            await asyncio.sleep(1)
        assert back.status_code == 200
    await app.state.runtime.client.close()


async def test_a_stopped_store_ends_a_handlers_call_and_the_ping_with_timeout_errors_read_as_an_outage(store):
    client = make_client(store.url, StoreTimeouts(socket_ms=1_500))
    documents = client[f"it_wedged_{uuid.uuid4().hex[:8]}"]["documents"]
    try:
        await documents.insert_one({"_id": "a"})  # a pooled connection, as a busy service has
        async with store.stopped():
            with pytest.raises(PyMongoError) as call:
                await asyncio.wait_for(documents.find_one({"_id": "a"}), HANG)
            with pytest.raises(PyMongoError) as probe:
                await asyncio.wait_for(ping(client, 1.0), HANG)  # ended by pymongo itself, not cancelled
        assert transient_dependency(call.value) == "mongodb" and call.value.timeout
        assert transient_dependency(probe.value) == "mongodb" and probe.value.timeout
        for _ in range(HANG):
            with contextlib.suppress(PyMongoError):
                if await documents.find_one({"_id": "a"}) == {"_id": "a"}:
                    break
            await asyncio.sleep(1)
        assert await documents.find_one({"_id": "a"}) == {"_id": "a"}
        await documents.database.client.drop_database(documents.database.name)
    finally:
        await client.close()
