"""Benchmark: what tracing and metrics cost on one service hop (target: <= 10 % of throughput).

The hop: feedback consuming SessionCompleted (decode, inbox check, store, inbox record, commit), as
its own OS process on a throwaway local Kafka and FerretDB. `events` SessionCompleted are published
once the service is up (healthy: every subscriber started), so its start-up, whose consumer-group
rebalances take seconds, stays out of the measure; throughput is events / time from the first publish
until the group's committed offsets reach the end offsets (read from the broker).
Configurations, alternated `rounds` times in one run: both off (METRICS_ENABLED=false, no OTLP
endpoint) and both on (metrics, every span exported to a real Jaeger, OTEL_TRACES_SAMPLER=always_on).

Run: `uv run python -m bench.observability_overhead [events] [rounds]`. The throwaway Kafka (SASL, the
code's ACLs), FerretDB and Keycloak take ports shifted by BINOME_SERVICE_PORT_OFFSET like the services'
(tools/servers.py); BINOME_JAEGER_* place the Jaeger it starts, if none runs. The service connects as its
own principal; the script publishes and reads the lag as the broker's admin.
"""

import asyncio
import os
import platform
import statistics
import sys
import time

from aiokafka import AIOKafkaProducer

from bench.report import write_section
from shared.contracts import SessionCompleted, topic_for
from shared.messaging.broker import ensure_topics
from shared.observability.consumer_lag import ConsumerLagReader
from tests import factories
from tools.on_demand import on_demand
from tools.processes import running_services
from tools.servers import ROOT, Servers, throwaway_local_servers

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


def one_round(servers, events: int, env: dict[str, str], label: str) -> float:
    log_dir = ROOT / ".local" / "logs" / f"bench-observability-{label}"
    with running_services(servers, log_dir, database_prefix=f"obs_{label}_", names=("feedback",), extra_env=env):
        seconds = asyncio.run(published_and_drained(servers, events))
    return events / seconds


async def published_and_drained(servers: Servers, events: int) -> float:
    started = time.monotonic()
    await publish(servers, events)
    await drained(servers)
    return time.monotonic() - started


def main(events: int, rounds: int) -> None:
    off = {"METRICS_ENABLED": "false", "OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_SDK_DISABLED": "true"}
    results: dict[str, list[float]] = {"off": [], "on": []}
    with throwaway_local_servers() as servers, on_demand("jaeger") as jaeger:
        on = {"METRICS_ENABLED": "true", "METRICS_REFRESH_INTERVAL_S": "15", "OTEL_SDK_DISABLED": "false",
              "OTEL_EXPORTER_OTLP_ENDPOINT": jaeger["OTEL_EXPORTER_OTLP_ENDPOINT"], "OTEL_TRACES_SAMPLER": "always_on"}
        one_round(servers, min(events, 200), off, "warm-up")
        for i in range(rounds):
            for name, env in (("off", off), ("on", on)):
                results[name].append(one_round(servers, events, env, f"{name}{i}"))
                print(f"round {i + 1} {name}: {results[name][-1]:.0f} events/s", flush=True)
    off_rate, on_rate = statistics.median(results["off"]), statistics.median(results["on"])
    cost = (1 - on_rate / off_rate) * 100
    runs = {name: ", ".join(f"{r:.0f}" for r in rates) for name, rates in results.items()}
    load = os.getloadavg()
    body = (f"One hop, feedback consuming `{TOPIC}` (decode, inbox, store, commit) on a throwaway local Kafka "
            f"and FerretDB; {events} events per round, {rounds} alternated rounds per configuration, median "
            f"throughput.\n\n| configuration | events/s (median) | rounds |\n|---|---|---|\n"
            f"| tracing and metrics off (baseline) | {off_rate:.0f} | {runs['off']} |\n"
            f"| tracing (every span to Jaeger) and metrics on | {on_rate:.0f} | {runs['on']} |\n\n"
            f"Throughput cost: **{cost:.1f} %** (target <= 10 %). Machine: {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, Kafka 3.9.1, FerretDB v1.24.2, "
            f"Jaeger v1.76.0; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end.")
    print(body)
    write_section("Tracing and metrics overhead (one hop)", body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, int(sys.argv[2]) if len(sys.argv) > 2 else 2)
