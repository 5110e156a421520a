"""Writes the published contracts to docs/: event JSON schemas, each service's OpenAPI and AsyncAPI,
and the merged AsyncAPI event catalogue.

`uv run python -m tools.contracts` after a deliberate contract change; tests/contract fails
while the files and the code disagree.
"""

import importlib
import json
from pathlib import Path
from typing import Any

from shared.contracts import TOPICS
from shared.contracts.asyncapi import asyncapi_document, merged_catalogue

ROOT = Path(__file__).resolve().parents[1]
EVENT_SCHEMAS = ROOT / "docs" / "contracts" / "events"
OPENAPI = ROOT / "docs" / "contracts" / "openapi"
ASYNCAPI = ROOT / "docs" / "contracts" / "asyncapi"
SERVICES = ("enrollment", "matching", "scheduling", "feedback")


def event_schemas() -> dict[str, dict[str, Any]]:
    return {topic: cls.model_json_schema() for cls, topic in TOPICS.items()}


def service_app(service: str) -> Any:
    config = importlib.import_module(f"{service}.config")
    return importlib.import_module(f"{service}.entrypoints.app").create_app(config.Settings())


def openapi(service: str) -> dict[str, Any]:
    return service_app(service).openapi()


def asyncapi(service: str) -> dict[str, Any]:
    app = service_app(service)
    runtime = app.state.runtime
    return asyncapi_document(runtime.broker, service, app.description, runtime.consumer.descriptions())


def catalogue() -> dict[str, Any]:
    return merged_catalogue({service: asyncapi(service) for service in SERVICES})


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    EVENT_SCHEMAS.mkdir(parents=True, exist_ok=True)
    OPENAPI.mkdir(parents=True, exist_ok=True)
    ASYNCAPI.mkdir(parents=True, exist_ok=True)
    for topic, schema in event_schemas().items():
        (EVENT_SCHEMAS / f"{topic}.json").write_text(dump(schema))
    for service in SERVICES:
        (OPENAPI / f"{service}.json").write_text(dump(openapi(service)))
        (ASYNCAPI / f"{service}.json").write_text(dump(asyncapi(service)))
    (ASYNCAPI / "catalogue.json").write_text(dump(catalogue()))
    print(f"wrote {len(TOPICS)} event schemas, {len(SERVICES)} OpenAPI and AsyncAPI documents and the event "
          "catalogue under docs/contracts/")


if __name__ == "__main__":
    main()
