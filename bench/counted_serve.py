"""Runs one service process like `shared.serve`, counting its store and Kafka round trips (bench only).

    python -m bench.counted_serve <service>     (ROUND_TRIPS_FILE: where the counts are written, as JSON)

Counts: every command the service sends to the store (a pymongo CommandListener, by command name,
and by command and collection with the BSON bytes sent and received, which is what FerretDB decodes
and encodes), the records its consumer polls, its polls that returned records, its offset commits, and what it
publishes (FastStream awaits each: one round trip). Written every half second, so the file is
current while the process runs (bench/round_trips.py reads it).
"""

import json
import os
import sys
import threading
from collections import Counter

import bson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from pymongo import monitoring

from shared.serve import main

COUNTS: Counter[str] = Counter()


COLLECTIONS: dict[str, Counter[str]] = {"commands": Counter(), "bytes sent": Counter(), "bytes received": Counter()}
_PENDING: dict[int, str] = {}


class Commands(monitoring.CommandListener):
    def started(self, event: monitoring.CommandStartedEvent) -> None:
        COUNTS[f"store {event.command_name}"] += 1
        target = event.command.get(event.command_name)
        key = f"{event.command_name} {event.database_name}.{target if isinstance(target, str) else ''}"
        if event.command_name == "getMore":
            key = f"getMore {event.database_name}.{event.command.get('collection', '')}"
        _PENDING[event.request_id] = key
        COLLECTIONS["commands"][key] += 1
        COLLECTIONS["bytes sent"][key] += len(bson.encode(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        key = _PENDING.pop(event.request_id, "?")
        COLLECTIONS["bytes received"][key] += len(bson.encode(event.reply))

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        _PENDING.pop(event.request_id, None)


def _counted(cls: type, name: str, key: str, records: bool = False) -> None:
    original = getattr(cls, name)

    async def wrapper(self, *args, **kwargs):
        result = await original(self, *args, **kwargs)
        if records:
            polled = sum(len(batch) for batch in result.values()) if isinstance(result, dict) else 1
            if polled:
                COUNTS["kafka polls with records"] += 1
                COUNTS["records consumed"] += polled
        else:
            COUNTS[key] += 1
        return result

    setattr(cls, name, wrapper)


def _write_every(path: str, period_s: float = 0.5) -> None:
    def loop() -> None:
        while not stop.wait(period_s):
            tmp = f"{path}.tmp"
            with open(tmp, "w") as out:
                json.dump(dict(COUNTS) | {"by collection": {k: dict(v) for k, v in COLLECTIONS.items()}}, out)
            os.replace(tmp, path)

    stop = threading.Event()
    threading.Thread(target=loop, daemon=True).start()


if __name__ == "__main__":
    monitoring.register(Commands())
    _counted(AIOKafkaConsumer, "getmany", "", records=True)
    _counted(AIOKafkaConsumer, "getone", "", records=True)
    _counted(AIOKafkaConsumer, "commit", "kafka offset commits")
    _counted(AIOKafkaProducer, "send", "kafka publishes")
    _write_every(os.environ["ROUND_TRIPS_FILE"])
    main(sys.argv[1])
