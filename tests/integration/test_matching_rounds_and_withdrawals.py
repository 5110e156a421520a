"""Matching on the real broker and store: a round previewed and published over HTTP emits
PairCreated; a withdrawal emits PairDissolved and re-pairs the partner left behind."""

import uuid

from pymongo import AsyncMongoClient

import matching.config
import matching.entrypoints.app
from shared.contracts import IntegrationEvent, ParticipantWithdrawn, topic_for
from tests import factories
from tests.integration.conftest import serving
from tests.kafka_probe import TopicReader, eventually, publish_raw
from tools.servers import Servers

CREATED, DISSOLVED = "matching.pair-created.v2", "matching.pair-dissolved.v1"


def of(topic: str, programme_id: uuid.UUID):
    return lambda r: r.topic == topic and r.json().get("programme_id") == str(programme_id)


async def publish(bootstrap: Servers, *events: IntegrationEvent) -> None:
    for e in factories.with_keys(*events):
        await publish_raw(bootstrap, topic_for(e), e.partition_key.encode(), e.model_dump_json().encode())


async def test_a_round_is_previewed_then_published_over_http_and_emits_explained_pairs(servers: Servers,
                                                                                        settings_kwargs):
    settings = matching.config.Settings(**settings_kwargs)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    bootstrap = servers
    launched = factories.programme_launched(mentor_capacity=2)
    pid = launched.programme_id
    people = [factories.participant_enrolled(pid, "mentor"),
              *(factories.participant_enrolled(pid, "mentee") for _ in range(3))]
    async with serving(matching.entrypoints.app.create_app(settings)) as http, \
            TopicReader(bootstrap, [CREATED]) as reader:
        assert (await http.put(f"/programmes/{pid}/mode", json={"mode": "rounds"})).status_code == 200
        await publish(bootstrap, launched, *people)
        assert await eventually(lambda: _count(db.candidates, {"programme_id": str(pid)}, len(people)))
        assert await eventually(lambda: _launched(db, pid))

        preview = await http.post(f"/programmes/{pid}/rounds")
        assert preview.status_code == 201, preview.text
        body = preview.json()
        assert body["proposals_total"] == 2 and body["unmatched_total"] == 1
        assert body["unmatched"][0]["reason"] == "no_capacity_left"
        assert (await http.post(f"/programmes/{pid}/rounds")).json()["round_id"] == body["round_id"]

        decided = await http.post(f"/programmes/{pid}/rounds/{body['round_id']}/decision",
                                  json={"decision": "publish"})
        assert decided.status_code == 200 and decided.json()["published_pairs"] == 2
        created = await reader.wait_for(lambda r: r.json().get("programme_id") == str(pid), count=2)
        assert {r.json()["mentee"]["participant_id"] for r in created} == \
            {p["mentee_id"] for p in body["proposals"]}
        assert all(set(r.json()["score_breakdown"]) == {"complementarity", "availability", "time_zone"}
                   for r in created)
        pairs = (await http.get("/pairs", params={"programme_id": str(pid), "status": "active"})).json()
        assert pairs["total"] == 2

        unknown = await http.post(f"/programmes/{pid}/rounds/{uuid.uuid4()}/decision", json={"decision": "publish"})
        assert unknown.status_code == 404 and unknown.json()["detail"][0]["loc"] == ["body", "round_id"]


async def test_a_withdrawal_dissolves_the_pair_and_the_partner_is_paired_again(servers: Servers, settings_kwargs):
    settings = matching.config.Settings(**settings_kwargs)
    bootstrap = servers
    launched = factories.programme_launched()
    pid = launched.programme_id
    mentee, mentor = factories.participant_enrolled(pid, "mentee"), factories.participant_enrolled(pid, "mentor")
    spare = factories.participant_enrolled(pid, "mentor", seniority_level=3)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    async with serving(matching.entrypoints.app.create_app(settings)), \
            TopicReader(bootstrap, [CREATED, DISSOLVED]) as reader:
        await publish(bootstrap, launched, mentee, mentor)
        [first] = await reader.wait_for(of(CREATED, pid))
        await publish(bootstrap, spare)
        # The spare is in the pool before the withdrawal (two topics: their order is not guaranteed).
        assert await eventually(lambda: db.candidates.find_one({"_id": str(spare.participant_id)}))
        assert first.json()["mentor"]["participant_id"] == str(mentor.participant_id)
        # The spare must be in the pool before the withdrawal (their events are on other partitions, which a
        # busy machine may deliver in any order): the new pair is then caused by the withdrawal.
        db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
        assert await eventually(lambda: db.candidates.find_one({"_id": str(spare.participant_id)}), timeout=60)
        leaving = ParticipantWithdrawn(participant_id=mentor.participant_id, programme_id=pid)
        await publish(bootstrap, leaving)

        [dissolved] = await reader.wait_for(of(DISSOLVED, pid))
        assert dissolved.json()["pair_id"] == first.json()["pair_id"]
        assert dissolved.json()["withdrawn_participant_id"] == str(mentor.participant_id)
        again = await reader.wait_for(of(CREATED, pid), count=2)
        second = next(r.json() for r in again if r.json()["pair_id"] != first.json()["pair_id"])
        assert second["mentor"]["participant_id"] == str(spare.participant_id)
        assert second["mentee"]["participant_id"] == str(mentee.participant_id)
        assert second["causation_id"] == str(leaving.event_id)


async def _count(collection, query, expected: int) -> bool:
    return await collection.count_documents(query) == expected


async def _launched(db, pid) -> bool:
    doc = await db.programmes.find_one({"_id": str(pid)})
    return bool(doc and doc["launched"])
