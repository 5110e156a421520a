"""The faults, each injected half-way through the enrollments while the flow goes on beside it."""

import asyncio
import importlib
import signal
import time
import uuid
from collections import Counter

from aiokafka import AIOKafkaProducer

from shared.contracts import EVENT_BY_TOPIC
from shared.contracts.topics import compacted
from shared.messaging.consumer import EventConsumer
from tests.faults.cluster import PORTS
from tests.faults.flow import Flow
from tests.faults.observe import counter
from tests.faults.scenario import DUPLICATES, Env, Fault, Returned
from tools.processes import SERVICES

FLOWING = ("matching", "scheduling", "feedback")  # the services with events to consume in the flow


def restart(services: tuple[str, ...], sig: signal.Signals, down_s: float = 1.0) -> Fault:
    """SIGKILL (a crash) or SIGTERM (a deployment) of each service in turn while it has work in hand, each
    started again before the next one goes: enrollment while imports are being sent, then the consumers."""

    async def fault(env: Env, _) -> Returned:
        back: dict[str, float] = {}
        for service in services:
            await asyncio.sleep(1.0)
            await asyncio.to_thread(env.fleet.signal, service, sig)
            await asyncio.sleep(down_s)
            env.fleet.start(service)
            back[service] = time.time()
            await asyncio.to_thread(env.fleet.wait_healthy, service)
        # Enrollment consumes nothing in this flow: its return shows in matching, which its events feed.
        measured = tuple(dict.fromkeys(s if s in FLOWING else "matching" for s in services))
        return Returned(back[services[0]], measured, {**back, "matching": back.get("matching", back[services[0]])})

    return fault


def outage(server: str, down_s: float) -> Fault:
    """SIGKILL of the broker or the store, `down_s` seconds down, then a start on the same data.

    The server is back when it accepts connections again: the services reconnect from then on, while
    `infra.sh start` goes on checking readiness (and, for Kafka, re-applying the ACLs) for a while."""

    async def fault(env: Env, flow: Flow) -> Returned:
        # The flow's next inputs wait until the server is down: on a fast platform the flow was otherwise
        # over before the kill, and a service with nothing left to do never showed that it resumes.
        async with flow.held():
            await asyncio.sleep(1.0)
            await asyncio.to_thread(env.infra.kill, server)
        await asyncio.sleep(down_s)
        starting = asyncio.create_task(asyncio.to_thread(env.infra.start, server))
        back = await _accepting(PORTS[server], starting)
        await starting
        return Returned(back, FLOWING)

    return fault


async def _accepting(port: int, starting: asyncio.Task[None]) -> float:
    """When the port first accepts a connection (or the start ended, if that came first)."""
    while not starting.done():
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 0.5)
        except (OSError, TimeoutError):
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return time.time()
    return time.time()


def second_instance(service: str = "feedback", stay_s: float = 3.0) -> Fault:
    """A second instance joins the service's group (a rebalance), consumes for a while, and leaves (another)."""

    async def fault(env: Env, flow: Flow) -> Returned:
        extra = f"{service}#2"
        # The flow's next inputs wait until the instance is in the group: on a fast platform the rest of
        # the flow was over before a process had started, and the instance had nothing left to take.
        try:
            async with flow.held():
                await asyncio.sleep(1.0)
                env.fleet.start(extra, CONSUMER_INSTANCE_ID="")  # dynamic membership: it leaves the group when it stops
                await asyncio.to_thread(env.fleet.wait_healthy, extra)
            log = env.fleet.log_dir / f"{service}-2.{env.fleet.starts[extra]}.log"
            deadline = time.monotonic() + 180  # stays until it has handled work of its own (a busy machine is slow)
            while time.monotonic() < deadline:
                if '"processed ' in log.read_text(errors="replace"):
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(stay_s)
            absorbed = counter(env.fleet.url(extra), DUPLICATES)
        finally:  # also when it failed: the next scenarios must not run with a member of their own
            if extra in env.fleet.processes:
                await asyncio.to_thread(env.fleet.signal, extra, signal.SIGTERM)
        return Returned(time.time(), (service,), duplicates=int(absorbed))

    return fault


def consumed_topics() -> dict[str, list[str]]:
    """Every service's consumed topics, as its own consumers module registers them."""
    found = {}
    for service in SERVICES:
        probe = EventConsumer(service, None, None, None)  # type: ignore[arg-type]
        importlib.import_module(f"{service}.entrypoints.consumers").build_kafka_router(probe, None)
        found[service] = probe.topics
    return found


def poison_kinds(topic: str) -> dict[str, tuple[bytes | None, list[tuple[str, bytes]]]]:
    event_type = EVENT_BY_TOPIC[topic].__name__
    invalid = f'{{"event_type": "{event_type}", "event_id": "{uuid.uuid4()}", "producer": "poison",' \
              f' "programme_id": "not-a-uuid"}}'.encode()
    return {
        "not JSON": (b"{this is not json", []),
        "unknown type": (f'{{"event_type": "NoSuchEvent", "event_id": "{uuid.uuid4()}"}}'.encode(), []),
        "schema-invalid": (invalid, []),
        "binary header": (invalid, [("traceparent", b"\xff\xfe\x00binary")]),
        # On a compacted topic (the data keys) a null record is Kafka's deletion marker: skipped, not poison.
        **({} if compacted(topic) else {"null value": (None, [])}),
    }


async def poison(env: Env, _) -> Returned:
    """Five kinds of poison on every consumed topic: each must reach every consuming service's DLQ."""
    consumers_of = Counter(t for topics in consumed_topics().values() for t in topics)
    servers = env.infra.servers
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka_bootstrap_servers, acks="all",
                                **servers.kafka_as("admin").client_kwargs())
    await producer.start()
    sent = 0
    try:
        for topic, consumers in sorted(consumers_of.items()):
            for kind, (value, headers) in poison_kinds(topic).items():
                await producer.send_and_wait(topic, value, key=f"poison-{kind}".encode(), headers=headers)
                sent += consumers
    finally:
        await producer.stop()
    return Returned(time.time(), (), poison=sent)
