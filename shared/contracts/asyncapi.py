"""AsyncAPI 3 documents generated from the code: FastStream describes the service's subscribers and
declared publishers; payloads come from the one event registry (`EVENT_BY_TOPIC`), because our
subscribers decode raw bytes themselves (so that undecodable messages reach the dead-letter topic).

Served by each service at /asyncapi.json; written to docs/contracts/asyncapi by `make contracts`.
"""

import json
from collections.abc import Iterable
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from shared.contracts.topics import EVENT_BY_TOPIC

SERVER = {"host": "kafka:9092", "protocol": "kafka",
          "description": "The platform's Kafka (KAFKA_BOOTSTRAP_SERVERS); one topic per event type. Each client "
                         "authenticates as its own principal (subscribers: enterprise-subscriber) and reads only "
                         "what its ACLs allow (README, Kafka identities)"}


def servers(security_schemes: dict[str, Any]) -> dict[str, Any]:
    """The one server, with the broker's authentication (FastStream names it from the broker's security)."""
    security = [{"$ref": f"#/components/securitySchemes/{name}"} for name in sorted(security_schemes)]
    return {"production": {**SERVER, **({"security": security} if security else {})}}


def declare_publishers(broker: KafkaBroker, service: str, topics: Iterable[str]) -> None:
    """Publishers known to the broker only for the document: events leave through the outbox relay."""
    for topic in topics:
        event = EVENT_BY_TOPIC[topic]
        broker.publisher(topic, schema=event, title=f"{service}:{topic}:publish",
                         description=(event.__doc__ or event.__name__).strip())


def asyncapi_document(broker: KafkaBroker, service: str, description: str,
                      consumed: dict[str, str] | None = None) -> dict[str, Any]:
    """`consumed`: what the service does with each topic it reads (its one subscriber reads them all)."""
    spec = AsyncAPI(broker, title=f"Binôme {service}", version="1.0.0", description=description,
                    schema_version="3.0.0")
    doc = json.loads(spec.to_specification().to_json())
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    doc["servers"] = servers(doc["components"].get("securitySchemes", {}))
    for key, channel in doc.get("channels", {}).items():
        channel["servers"] = [{"$ref": "#/servers/production"}]
        if not key.endswith(":publish") and channel["address"] in (consumed or {}):
            channel["description"] = consumed[channel["address"]]
        event = EVENT_BY_TOPIC.get(channel["address"])
        if event is None:
            continue
        _add_schema(schemas, event)
        for ref in channel["messages"].values():
            message = doc["components"]["messages"][ref["$ref"].rsplit("/", 1)[1]]
            message["payload"] = {"$ref": f"#/components/schemas/{event.__name__}"}
            message["name"] = event.__name__
        channel.setdefault("description", (event.__doc__ or "").strip())
    schemas.pop("EmptyPayload", None)
    # One name per operation and its channel, whether a subscriber reads one topic or several.
    doc["operations"] = {op["channel"]["$ref"].rsplit("/", 1)[1]: op for op in doc.get("operations", {}).values()}
    return doc


def _add_schema(schemas: dict[str, Any], event: type) -> None:
    schema = event.model_json_schema(ref_template="#/components/schemas/{model}")  # type: ignore[attr-defined]
    for name, definition in schema.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas[event.__name__] = schema


def merged_catalogue(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One document for subscribers: every service's channels, operations and messages (their names
    are prefixed by the service) with the schemas they share."""
    merged: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {"title": "Binôme event catalogue", "version": "1.0.0",
                 "description": "Every event the four services publish and consume: one topic per event type, "
                                "keyed by aggregate id, one envelope (docs/events.md)."},
        "defaultContentType": "application/json",
        "channels": {}, "operations": {}, "components": {"messages": {}, "schemas": {}, "securitySchemes": {}},
    }
    for doc in documents.values():
        merged["channels"].update(doc.get("channels", {}))
        merged["operations"].update(doc.get("operations", {}))
        for part in ("messages", "schemas", "securitySchemes"):
            merged["components"][part].update(doc.get("components", {}).get(part, {}))
    merged["servers"] = servers(merged["components"]["securitySchemes"])
    return merged
