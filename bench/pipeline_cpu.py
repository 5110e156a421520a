"""What the pipeline's processes cost: CPU seconds from /proc, and the store's CPU once the services
stand idle (every consumer group drained, scheduling's ticker done with the reminders the run made
due, then a pause to settle)."""

import asyncio
import contextlib
import os
import time

from aiokafka import AIOKafkaConsumer

from shared.contracts import SessionReminderDue, topic_for
from shared.observability.consumer_lag import ConsumerLagReader
from tools.kafka_access import SERVICES, consumes
from tools.servers import Servers

TICK = os.sysconf("SC_CLK_TCK")
REMINDERS = topic_for(SessionReminderDue)


def cpu_seconds(pid: int | tuple[int, ...]) -> float:
    """One process's CPU seconds; for a tuple, those of each process and all its descendants (PostgreSQL's
    backends, one per connection, and those already ended: their parent's `cutime`)."""
    if isinstance(pid, tuple):
        return sum(_tree_cpu_seconds(p) for p in pid)
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _tree_cpu_seconds(root: int) -> float:
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        with contextlib.suppress(OSError, ValueError):
            stats[int(entry)] = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
    children: dict[int, list[int]] = {}
    for pid, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:  # utime, stime, and the ended children's cutime, cstime
            total += sum(int(f) for f in stats[pid][11:15])
            todo += children.get(pid, [])
    return total / TICK


def own_cpu_seconds() -> float:
    """This process's CPU seconds (the relay chain runs in it)."""
    times = os.times()
    return times.user + times.system


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


class Reminders:
    """Counts the SessionReminderDue that scheduling's ticker publishes (every programme's) from now on:
    business work, not idling. A run plans sessions that start within a day, so the ticks after it send
    their reminders (hundreds, each one a pair written, relayed and published)."""

    def __init__(self, servers: Servers) -> None:
        self.consumer = AIOKafkaConsumer(REMINDERS, bootstrap_servers=servers.kafka_bootstrap_servers,
                                         **servers.kafka_as("admin").client_kwargs(), auto_offset_reset="latest",
                                         enable_auto_commit=False)
        self.seen, self.last = 0, time.monotonic()

    async def __aenter__(self) -> "Reminders":
        await self.consumer.start()
        await self.consumer.seek_to_end()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.consumer.stop()

    async def read(self, seconds: float) -> int:
        """Reads for `seconds`; returns how many reminders came meanwhile."""
        before, deadline = self.seen, time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            for records in (await self.consumer.getmany(timeout_ms=int(min(left, 1) * 1000) + 1)).values():
                self.seen += len(records)
                self.last = time.monotonic() if records else self.last
        return self.seen - before

    async def quiet(self, for_s: float = 75.0, timeout_s: float = 900.0) -> int:
        """Until no reminder has come for `for_s` (longer than a tick interval); returns how many came."""
        deadline = time.monotonic() + timeout_s
        self.last = time.monotonic()
        while time.monotonic() - self.last < for_s and time.monotonic() < deadline:
            await self.read(1.0)
        return self.seen


async def idle_cpu(pid: int | tuple[int, ...], seconds: float, servers: Servers) -> dict[str, float]:
    """% of one core the store uses while the services stand idle: drained, then once the ticker has
    sent the reminders the run made due (their count and the store's CPU seconds meanwhile are given
    apart), then a pause to settle. Reminders still sent inside the window are counted beside it."""
    async with Reminders(servers) as reminders:
        cpu_before = cpu_seconds(pid)
        sent_before = await reminders.quiet()
        await drained(servers)
        backlog_cpu = cpu_seconds(pid) - cpu_before
        await reminders.read(5)
        before, started = cpu_seconds(pid), time.monotonic()
        inside = await reminders.read(seconds)
        return {"pct": 100 * (cpu_seconds(pid) - before) / (time.monotonic() - started), "reminders": inside,
                "reminders_before": sent_before, "reminders_before_cpu_s": backlog_cpu}


async def group_lag(servers: Servers, service: str) -> int:
    """Messages the service's consumer group has not committed yet, over every topic it consumes."""
    reader = ConsumerLagReader(servers.kafka_bootstrap_servers, service, consumes(service),
                               **servers.kafka_as("admin").client_kwargs())
    await reader.start()
    try:
        return sum(p.lag for p in await reader.read())
    finally:
        await reader.close()
