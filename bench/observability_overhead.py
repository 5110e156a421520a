"""Benchmark: what tracing and metrics cost on one service hop (target: <= 10 % of throughput).

The hop: feedback consuming SessionCompleted (decode, inbox check, store, inbox record, commit), as
its own OS process on a throwaway local Kafka and FerretDB. `events` SessionCompleted are published
once the service is up (healthy: every subscriber started), so its start-up, whose consumer-group
rebalances take seconds, stays out of the measure; throughput is events / time from the first publish
until the group's committed offsets reach the end offsets (read from the broker).
Configurations, alternated `rounds` times in one run: both off (METRICS_ENABLED=false, no OTLP
endpoint), metrics alone, and both on (metrics, every span exported to a real Jaeger,
OTEL_TRACES_SAMPLER=always_on). Each round also reports the service's CPU per event (its process's
user + system time while it drained the round) and the CPU the Jaeger process spent meanwhile: on a
2-core machine shared by broker, store, service and Jaeger, the throughput cost mixes the service's
own work with the collector's. The service's CPU per event leaves out its background CPU (measured
over 5 s before each round's first publish); rounds alternate their order (off, metrics, on, then on,
metrics, off) so that a drift over the run weighs on each configuration alike.

Run: `uv run python -m bench.observability_overhead [events] [rounds]` (rounds even, default 4).
The throwaway Kafka (SASL, the code's ACLs), FerretDB and Keycloak take ports shifted by
BINOME_SERVICE_PORT_OFFSET like the services' (tools/servers.py); BINOME_JAEGER_* place the Jaeger
it starts, if none runs. The service connects as its own principal; the script publishes and reads
the lag as the broker's admin.
"""

import asyncio
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient

from bench.pipeline_cpu import cpu_seconds
from bench.report import write_section
from shared.contracts import SessionCompleted, topic_for
from shared.messaging.broker import ensure_topics
from shared.observability.consumer_lag import ConsumerLagReader
from tests import factories
from tools.on_demand import on_demand
from tools.processes import running_services
from tools.servers import ROOT, Servers, infra_pid, throwaway_local_servers

TOPIC = topic_for(SessionCompleted)


async def publish(servers: Servers, events: int) -> None:
    admin = servers.kafka_as("admin")
    await ensure_topics(servers.kafka_bootstrap_servers, [TOPIC], credentials=admin)
    producer = AIOKafkaProducer(bootstrap_servers=servers.kafka_bootstrap_servers, acks="all", linger_ms=20,
                                **admin.client_kwargs())
    await producer.start()
    try:
        batch = [factories.session_completed() for _ in range(events)]
        await asyncio.gather(*[producer.send(TOPIC, e.model_dump_json().encode(), key=e.partition_key.encode())
                               for e in batch])
        await producer.flush()
    finally:
        await producer.stop()


async def drained(servers: Servers, timeout_s: float = 1800) -> float:
    """Seconds until the feedback group has committed every message of the topic (all published)."""
    reader = ConsumerLagReader(servers.kafka_bootstrap_servers, "feedback", [TOPIC],
                               **servers.kafka_as("admin").client_kwargs())
    await reader.start()
    started = time.monotonic()
    try:
        while time.monotonic() - started < timeout_s:
            lags = await reader.read()
            if lags and sum(p.lag for p in lags) == 0:
                return time.monotonic() - started
            await asyncio.sleep(0.2)
    finally:
        await reader.close()
    raise RuntimeError(f"feedback did not drain {TOPIC} within {timeout_s:.0f} s")


@dataclass
class Round:
    rate: float  # events/s
    service_cpu_ms: float  # per event
    jaeger_cpu_s: float


def one_round(servers, events: int, env: dict[str, str], label: str, jaeger_pid: int | None) -> Round:
    log_dir = ROOT / ".local" / "logs" / f"bench-observability-{label}"
    try:
        return _measured(servers, events, env, label, jaeger_pid, log_dir)
    finally:
        # Each round's databases dropped after it: the store grows no larger from round to round (it
        # slowed every configuration round after round when they were kept).
        asyncio.run(_drop_databases(servers, f"obs_{label}_"))


async def _drop_databases(servers: Servers, prefix: str) -> None:
    client = AsyncMongoClient(servers.mongodb_url)
    try:
        for name in await client.list_database_names():
            if name.startswith(prefix):
                await client.drop_database(name)
    finally:
        await client.close()


def _measured(servers, events: int, env: dict[str, str], label: str, jaeger_pid: int | None, log_dir) -> Round:
    with running_services(servers, log_dir, database_prefix=f"obs_{label}_", names=("feedback",),
                          extra_env=env) as services:
        pid = services["feedback"].process.pid
        idle_from = cpu_seconds(pid)
        time.sleep(IDLE_S)  # the service's own background (monitor, relay sweep, heartbeats), taken out below
        idle_rate = (cpu_seconds(pid) - idle_from) / IDLE_S
        cpu, jaeger = cpu_seconds(pid), cpu_seconds(jaeger_pid) if jaeger_pid else 0.0
        seconds = asyncio.run(published_and_drained(servers, events))
        work = cpu_seconds(pid) - cpu - idle_rate * seconds
        return Round(events / seconds, work * 1000 / events,
                     (cpu_seconds(jaeger_pid) - jaeger) if jaeger_pid else 0.0)


async def published_and_drained(servers: Servers, events: int) -> float:
    started = time.monotonic()
    await publish(servers, events)
    await drained(servers)
    return time.monotonic() - started


IDLE_S = 5.0
LABELS = {"off": "tracing and metrics off (baseline)", "metrics": "metrics on, tracing off",
          "on": "tracing (every span to Jaeger) and metrics on"}


def main(events: int, rounds: int) -> None:
    off = {"METRICS_ENABLED": "false", "OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_SDK_DISABLED": "true"}
    metrics = {**off, "METRICS_ENABLED": "true", "METRICS_REFRESH_INTERVAL_S": "15"}
    results: dict[str, list[Round]] = {name: [] for name in LABELS}
    with throwaway_local_servers() as servers, on_demand("jaeger") as jaeger:
        on = {**metrics, "OTEL_SDK_DISABLED": "false",
              "OTEL_EXPORTER_OTLP_ENDPOINT": jaeger["OTEL_EXPORTER_OTLP_ENDPOINT"], "OTEL_TRACES_SAMPLER": "always_on"}
        jaeger_pid = infra_pid("jaeger", {})
        one_round(servers, min(events, 200), off, "warm-up", None)
        configurations = [("off", off), ("metrics", metrics), ("on", on)]
        for i in range(rounds):
            # Order reversed every other round: a drift of the machine or the store over the run
            # (each round adds a database) then weighs on every configuration alike.
            for name, env in configurations if i % 2 == 0 else configurations[::-1]:
                results[name].append(one_round(servers, events, env, f"{name}{i}", jaeger_pid))
                r = results[name][-1]
                print(f"round {i + 1} {name}: {r.rate:.0f} events/s, service {r.service_cpu_ms:.1f} ms CPU/event, "
                      f"Jaeger {r.jaeger_cpu_s:.1f} s CPU", flush=True)
    rate = {name: statistics.median(r.rate for r in rs) for name, rs in results.items()}
    cpu = {name: statistics.median(r.service_cpu_ms for r in rs) for name, rs in results.items()}
    rows = "".join(
        f"| {LABELS[name]} | {rate[name]:.1f} | {', '.join(f'{r.rate:.0f}' for r in rs)} | {cpu[name]:.2f} | "
        f"{statistics.median(r.jaeger_cpu_s for r in rs):.1f} |\n" for name, rs in results.items())
    cost = {name: (1 - rate[name] / rate["off"]) * 100 for name in ("metrics", "on")}
    load = os.getloadavg()
    body = (f"One hop, feedback consuming `{TOPIC}` (decode, inbox, store, commit) on a throwaway local Kafka "
            f"and FerretDB; {events} events per round, {rounds} alternated rounds per configuration, medians.\n\n"
            f"| configuration | events/s | rounds (events/s) | service CPU per event, background out (ms) "
            f"| Jaeger CPU per round (s) |\n"
            f"|---|---|---|---|---|\n{rows}\n"
            f"Throughput cost: **{cost['on']:.1f} %** with tracing and metrics (target <= 10 %), "
            f"{cost['metrics']:.1f} % with metrics alone; service CPU per event "
            f"{(cpu['on'] / cpu['off'] - 1) * 100:+.0f} % and {(cpu['metrics'] / cpu['off'] - 1) * 100:+.0f} %. "
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, Kafka 3.9.1, "
            f"FerretDB v1.24.2, Jaeger v1.76.0; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end.")
    print(body)
    write_section("Tracing and metrics overhead (one hop)", body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, int(sys.argv[2]) if len(sys.argv) > 2 else 4)
