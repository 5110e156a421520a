"""Runs one service process: `python -m shared.serve <service>` (host and port from its settings).

The event loop is uvloop's: every consumed event costs several store round trips (pymongo's async
driver) and Kafka requests, and asyncio's pure-Python loop and socket transports were a large share
of each service's CPU under the pipeline (docs/benchmarks.md, "Where the services' CPU goes").
"""

import importlib
import sys

import uvicorn


def main(service: str) -> None:
    settings = importlib.import_module(f"{service}.config").get_settings()
    app = importlib.import_module(f"{service}.entrypoints.app").create_app(settings)
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, access_log=False, log_config=None,
                loop="uvloop")


if __name__ == "__main__":
    main(sys.argv[1])
