"""What the pipeline's processes cost: CPU seconds from /proc, and the store's CPU once the services
stand idle (every consumer group drained, then a pause to settle)."""

import asyncio
import os
import time

from shared.observability.consumer_lag import ConsumerLagReader
from tools.kafka_access import SERVICES, consumes
from tools.servers import Servers

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


async def drained(servers: Servers, timeout_s: float = 1800) -> None:
    """Until every service's consumer group has committed all it consumes (feedback trails the last
    SessionScheduled by up to a minute: the store is not idle before)."""
    readers = [ConsumerLagReader(servers.kafka_bootstrap_servers, s, consumes(s),
                                 **servers.kafka_as("admin").client_kwargs()) for s in SERVICES if consumes(s)]
    for reader in readers:
        await reader.start()
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            if not sum(p.lag for lags in [await r.read() for r in readers] for p in lags):
                return
            await asyncio.sleep(1)
        raise RuntimeError(f"the services did not drain their topics within {timeout_s:.0f} s")
    finally:
        for reader in readers:
            await reader.close()


async def idle_cpu(pid: int, seconds: float) -> float:
    """% of one core the store uses while the services stand idle (drained, then a pause to settle)."""
    await asyncio.sleep(5)
    before, started = cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(seconds)
    return 100 * (cpu_seconds(pid) - before) / (time.monotonic() - started)
