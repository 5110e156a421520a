"""Runs one service process: `python -m shared.serve <service>` (host and port from its settings).

Two runtime choices, both for the CPU each consumed event costs (docs/benchmarks.md, "Where the
services' CPU goes"): the event loop is uvloop's, because every event costs several store round trips
(pymongo's async driver) and Kafka requests, and asyncio's pure-Python loop and socket transports were
a large share of it; and what the imports and the app built is frozen out of the garbage collector
(`shared/heap.py`).
"""

import importlib
import sys

import uvicorn

from shared.heap import settle


def main(service: str) -> None:
    settings = importlib.import_module(f"{service}.config").get_settings()
    app = importlib.import_module(f"{service}.entrypoints.app").create_app(settings)
    settle()  # the imports' and the app's objects out of the collector's full passes
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, access_log=False, log_config=None,
                loop="uvloop")


if __name__ == "__main__":
    main(sys.argv[1])
