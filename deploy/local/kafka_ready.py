"""Exit 0 when a Kafka broker accepts a write with acks=all, 1 if not, 3 without aiokafka.

Used by deploy/local/infra.sh as the last readiness gate: the broker answering
metadata and taking a fully acknowledged write is what the services need.

    KAFKA_SASL_PASSWORD=... python deploy/local/kafka_ready.py [--bootstrap 127.0.0.1:19092] [--timeout 30]

The local broker takes SASL/SCRAM only: the check authenticates as its admin (--username), with the
password from the environment, never from the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

try:
    from aiokafka import AIOKafkaProducer
except ImportError as exc:  # infra.sh treats exit code 3 as "this check is unavailable"
    print(f"kafka_ready: {exc} (run `uv sync` for the project venv)", file=sys.stderr)
    sys.exit(3)

TOPIC = "_binome_healthcheck"


async def check(bootstrap: str, timeout: float, username: str) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        request_timeout_ms=int(timeout * 1000),
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_plain_username=username,
        sasl_plain_password=os.environ.get("KAFKA_SASL_PASSWORD", ""),
    )
    await producer.start()
    try:
        await producer.send_and_wait(TOPIC, b"ping", key=b"infra.sh")
    finally:
        await producer.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bootstrap",
        default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds")
    parser.add_argument("--username", default="admin")
    args = parser.parse_args()

    deadline = time.monotonic() + args.timeout
    last_error: BaseException | None = None
    # The producer gives up at once when nothing listens yet, so retry until the deadline.
    while time.monotonic() < deadline:
        remaining = max(deadline - time.monotonic(), 1.0)
        try:
            asyncio.run(asyncio.wait_for(check(args.bootstrap, remaining, args.username), remaining))
        except Exception as exc:
            last_error = exc
            time.sleep(0.5)
            continue
        return 0
    print(
        f"kafka_ready: {args.bootstrap} did not take a write to {TOPIC} "
        f"within {args.timeout:g}s: {last_error!r}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
