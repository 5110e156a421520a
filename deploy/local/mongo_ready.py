"""Exit 0 when a MongoDB-wire server (FerretDB locally) answers `ping`, 1 if not, 3 without pymongo.

Used by deploy/local/infra.sh as the last readiness gate.

    python deploy/local/mongo_ready.py [--url mongodb://127.0.0.1:27117/] [--timeout 15]
"""

from __future__ import annotations

import argparse
import os
import sys

try:
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError
except ImportError as exc:  # infra.sh treats exit code 3 as "this check is unavailable"
    print(f"mongo_ready: {exc} (run `uv sync` for the project venv)", file=sys.stderr)
    sys.exit(3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27117/")
    )
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds")
    args = parser.parse_args()

    timeout_ms = int(args.timeout * 1000)
    client: MongoClient = MongoClient(
        args.url,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=timeout_ms,
    )
    try:
        client.admin.command("ping")
    except PyMongoError as exc:
        print(f"mongo_ready: {args.url} did not answer ping: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
