"""bench.matching_service's driver: publishes an arrival (its data key, then its enrollment) and
times it until a plain consumer reads the first PairCreated naming the arrival.

It runs in a child process by default (`ChildDriver`), so that the matching service is alone in the
bench's process and event loop, as in production: the driver's producer and consumer then take no
turn of the service's loop and none of its GIL. `LocalDriver` is the same driver in the caller's
process and loop (`--same-process`, the way before `cont12h`). The child speaks JSON lines on its
stdin/stdout: the Kafka connection first, then one arrival a line, one answer a line. The clock is
`time.perf_counter` (CLOCK_MONOTONIC on Linux: one clock for every process of the machine), so the
child's timestamps line up with the service's seams.
"""

import asyncio
import json
import sys
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.messaging.kafka_security import KafkaCredentials

ANSWER_LIMIT = 2**24  # bytes of one answer line


class LocalDriver:
    """The driver's Kafka clients in this process's event loop."""

    def __init__(self, bootstrap_servers: str, credentials: KafkaCredentials, pair_created_topic: str) -> None:
        kafka = {"bootstrap_servers": bootstrap_servers, **credentials.client_kwargs()}
        self.producer = AIOKafkaProducer(**kafka, acks="all")
        self.consumer = AIOKafkaConsumer(pair_created_topic, **kafka, auto_offset_reset="latest")

    async def start(self) -> None:
        await self.producer.start()
        await self.consumer.start()
        await asyncio.sleep(3)  # the consumer's assignment

    async def stop(self) -> None:
        await self.consumer.stop()
        await self.producer.stop()

    async def arrive(self, arrival: dict) -> dict:
        """`arrival`: participant_id and two records (topic, key, value) to publish in order, the
        enrollment last. Answers the end-to-end ms (the enrollment's send -> its PairCreated read) and
        when the enrollment was acknowledged (perf_counter)."""
        key, enrollment = arrival["key"], arrival["enrollment"]
        await self.producer.send_and_wait(key["topic"], key["value"].encode(), key=key["key"].encode())
        start = time.perf_counter()
        await self.producer.send_and_wait(enrollment["topic"], enrollment["value"].encode(),
                                          key=enrollment["key"].encode())
        sent = time.perf_counter()
        member = arrival["participant_id"]
        while True:
            batch = await self.consumer.getmany(timeout_ms=60_000)
            for records in batch.values():
                for r in records:
                    body = json.loads(r.value)
                    if member in (body["mentor"]["participant_id"], body["mentee"]["participant_id"]):
                        return {"end_to_end_ms": (time.perf_counter() - start) * 1000, "enrollment_acked": sent}
            if not batch:
                return {"error": f"no PairCreated for {member}"}


class ChildDriver:
    """`LocalDriver` in a child process (this module run as a script), asked over a pipe."""

    def __init__(self, bootstrap_servers: str, credentials: KafkaCredentials, pair_created_topic: str) -> None:
        self.hello = {"bootstrap_servers": bootstrap_servers, "topic": pair_created_topic,
                      "credentials": [credentials.protocol, credentials.mechanism, credentials.username,
                                      credentials.password, credentials.cafile]}
        self.child: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.matching_driver", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, limit=ANSWER_LIMIT)
        await self._ask(self.hello)  # answered once its clients are started

    async def stop(self) -> None:
        if self.child is not None:
            self.child.stdin.close()  # type: ignore[union-attr]
            await self.child.wait()

    async def arrive(self, arrival: dict) -> dict:
        return await self._ask(arrival)

    async def _ask(self, message: dict) -> dict:
        assert self.child is not None and self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write(json.dumps(message).encode() + b"\n")
        await self.child.stdin.drain()
        line = await self.child.stdout.readline()
        if not line:
            raise RuntimeError(f"the driver's process ended (exit {await self.child.wait()})")
        return json.loads(line)


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=ANSWER_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    hello = json.loads(await reader.readline())
    driver = LocalDriver(hello["bootstrap_servers"], KafkaCredentials(*hello["credentials"]), hello["topic"])
    await driver.start()

    def answer(message: dict) -> None:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    answer({"started": True})
    try:
        while line := await reader.readline():
            answer(await driver.arrive(json.loads(line)))
    finally:
        await driver.stop()


if __name__ == "__main__":
    asyncio.run(_serve())
