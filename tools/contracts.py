"""Writes the published contracts to docs/: event JSON schemas and each service's OpenAPI.

`uv run python -m tools.contracts` after a deliberate contract change; tests/contract fails
while the files and the code disagree.
"""

import importlib
import json
from pathlib import Path
from typing import Any

from shared.contracts import TOPICS

ROOT = Path(__file__).resolve().parents[1]
EVENT_SCHEMAS = ROOT / "docs" / "contracts" / "events"
OPENAPI = ROOT / "docs" / "contracts" / "openapi"
SERVICES = ("enrollment", "matching", "scheduling", "feedback")


def event_schemas() -> dict[str, dict[str, Any]]:
    return {topic: cls.model_json_schema() for cls, topic in TOPICS.items()}


def openapi(service: str) -> dict[str, Any]:
    config = importlib.import_module(f"{service}.config")
    app = importlib.import_module(f"{service}.entrypoints.app").create_app(config.Settings())
    return app.openapi()


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    EVENT_SCHEMAS.mkdir(parents=True, exist_ok=True)
    OPENAPI.mkdir(parents=True, exist_ok=True)
    for topic, schema in event_schemas().items():
        (EVENT_SCHEMAS / f"{topic}.json").write_text(dump(schema))
    for service in SERVICES:
        (OPENAPI / f"{service}.json").write_text(dump(openapi(service)))
    print(f"wrote {len(TOPICS)} event schemas and {len(SERVICES)} OpenAPI documents under docs/contracts/")


if __name__ == "__main__":
    main()
