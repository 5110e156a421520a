"""The AsyncAPI documents under docs/contracts/asyncapi are what the code generates, cover every
event of the registry, and are served by each service."""

import json

import httpx
import pytest

from shared.contracts import EVENTS, topic_for
from tools.contracts import ASYNCAPI, SERVICES, asyncapi, catalogue, dump, service_app

HOW_TO_UPDATE = "the code's events changed: run `make contracts` and commit docs/contracts/asyncapi"


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_asyncapi_matches_the_document_in_the_repo(service):
    assert dump(asyncapi(service)) == (ASYNCAPI / f"{service}.json").read_text(), HOW_TO_UPDATE


def test_the_merged_catalogue_matches_the_document_in_the_repo():
    assert dump(catalogue()) == (ASYNCAPI / "catalogue.json").read_text(), HOW_TO_UPDATE


def test_the_catalogue_has_every_event_sent_by_its_producer_with_its_schema():
    doc = json.loads((ASYNCAPI / "catalogue.json").read_text())
    assert doc["asyncapi"] == "3.0.0"
    sent = {(op["channel"]["$ref"].split("/")[-1].split(":")[0], doc["channels"][op["channel"]["$ref"].split("/")[-1]]
             ["address"]) for op in doc["operations"].values() if op["action"] == "send"}
    for event in EVENTS:
        assert (event.producer_service, topic_for(event)) in sent, event.__name__
        assert doc["components"]["schemas"][event.__name__]["properties"]["event_type"]["default"] == event.__name__


def test_every_consumed_topic_is_received_with_the_event_schema_as_payload():
    doc = json.loads((ASYNCAPI / "catalogue.json").read_text())
    received = [op for op in doc["operations"].values() if op["action"] == "receive"]
    assert len(received) >= 15
    for op in received:
        channel = doc["channels"][op["channel"]["$ref"].split("/")[-1]]
        message = doc["components"]["messages"][next(iter(channel["messages"].values()))["$ref"].split("/")[-1]]
        assert message["payload"]["$ref"].split("/")[-1] in doc["components"]["schemas"], channel["address"]


@pytest.mark.parametrize("service", SERVICES)
async def test_each_service_serves_its_asyncapi_document(service):
    app = service_app(service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        served = (await http.get("/asyncapi.json")).json()
    assert dump(served) == (ASYNCAPI / f"{service}.json").read_text()


def test_the_catalogue_tells_subscribers_the_broker_takes_scram_credentials():
    doc = json.loads((ASYNCAPI / "catalogue.json").read_text())
    (scheme,) = doc["servers"]["production"]["security"]
    assert doc["components"]["securitySchemes"][scheme["$ref"].split("/")[-1]]["type"] == "scramSha512"
