"""Feedback on the real broker and store: a two-country programme's events in, invitations out,
answers over HTTP, and an impact report whose figures equal those recomputed here, independently,
from the raw documents in the database."""

import uuid
from collections import defaultdict
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from feedback.config import Settings
from feedback.entrypoints.app import create_app
from shared.contracts import topic_for
from shared.messaging.inbox import Inbox
from tests.feedback_scenario import programme, publish_all
from tests.integration.conftest import serving
from tests.kafka_probe import TopicReader, eventually, publish_raw
from tools.servers import Servers

K = 5


@pytest.fixture(scope="module")
async def flow(servers: Servers, settings_kwargs) -> Any:
    settings = Settings(**settings_kwargs, report_min_group_size=K)
    sc = programme(pairs=16, countries=("FR", "DE"), seed=5)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    topics = ["feedback.survey-invited.v1", "feedback.end-survey-submitted.v1", "feedback.survey-submitted.v1"]
    async with serving(create_app(settings)) as http, TopicReader(servers, topics) as kafka:
        await publish_all(servers, sc)
        expected = 2 * len(sc.completed) + 2 * len(sc.ended)
        of = {"programme_id": str(sc.programme_id)}

        async def all_in() -> bool:
            return (await db.invitations.count_documents(of) == expected
                    and await db.participants.count_documents(of) == len(sc.enrolled)
                    and await db.planned_sessions.count_documents(of) == len(sc.scheduled))

        assert await eventually(all_in, timeout=90), "feedback did not store every invitation and fact"
        for body in sc.session_answers:
            assert (await http.post("/surveys", json=body)).status_code == 201
        for body in sc.end_answers:
            response = await http.post("/end-surveys", json=body)
            assert response.status_code == 201, response.text
        report = (await http.get(f"/programmes/{sc.programme_id}/impact")).json()
        metrics = (await http.get("/metrics")).text
        yield sc, db, kafka, report, metrics


async def test_every_invitation_is_announced_once_with_its_expiry(flow):
    sc, _, kafka, _, _ = flow
    mine = await kafka.wait_for(lambda r: r.json().get("programme_id") == str(sc.programme_id)
                                and r.topic == "feedback.survey-invited.v1",
                                count=2 * len(sc.completed) + 2 * len(sc.ended), timeout=30)
    ids = [r.json()["survey_id"] for r in mine]
    assert len(ids) == len(set(ids)) == 2 * len(sc.completed) + 2 * len(sc.ended)
    assert all(r.json()["expires_at"] for r in mine)


async def test_end_surveys_are_published_with_scores_and_no_free_text(flow):
    sc, _, kafka, _, _ = flow
    ends = await kafka.wait_for(lambda r: r.topic == "feedback.end-survey-submitted.v1"
                                and r.json().get("programme_id") == str(sc.programme_id),
                                count=len(sc.end_answers), timeout=30)
    assert len(ends) == len(sc.end_answers)
    assert all("comment" not in r.json() and 0 <= r.json()["nps"] <= 10 for r in ends)


async def test_the_report_equals_the_figures_recomputed_from_the_raw_documents(flow):
    sc, db, _, report, _ = flow
    raw = await _raw(db, str(sc.programme_id))
    groups = {(g["dimension"], g["value"]): g for g in report["groups"]}
    assert set(groups) >= {("programme", "all"), ("country", "FR"), ("country", "DE")}
    for (dimension, value), group in groups.items():
        people = {p for p, c in raw["country_of"].items() if dimension != "country" or c == value}
        if dimension in ("cohort", "role"):
            continue
        expected = _figures(raw, people)
        for name, value_n in expected.items():
            got = group["figures"][name] if name in group["figures"] else next(
                s for s in group["skill_uplift"] if s["topic"] == name.split(":")[1])
            assert (got["value"], got["n"]) == value_n, f"{dimension}={value} {name}"


async def test_gauges_carry_the_per_country_figures_of_the_report(flow):
    sc, _, _, report, metrics = flow
    fr = next(g for g in report["groups"] if (g["dimension"], g["value"]) == ("country", "FR"))
    line = f'binome_feedback_nps{{country="FR",programme="{sc.programme_id}"}} '
    [sample] = [x for x in metrics.splitlines() if x.startswith(line)]
    assert float(sample.removeprefix(line)) == fr["figures"]["nps"]["value"]


async def _raw(db: Any, programme_id: str) -> dict[str, Any]:
    async def docs(name: str) -> list[dict[str, Any]]:
        return [d async for d in db[name].find({"programme_id": programme_id})]

    return {
        "country_of": {d["_id"]: d["country"] for d in await docs("participants")},
        "invitations": await docs("invitations"),
        "answered": {d["_id"] for d in await docs("surveys")} | {d["_id"] for d in await docs("end_surveys")},
        "ends": await docs("end_surveys"),
        "planned": await docs("planned_sessions"),
        "completed": await docs("completed_sessions"),
    }


def _figures(raw: dict[str, Any], people: set[str]) -> dict[str, tuple[Any, int]]:
    """The report's definitions, written again from scratch on the stored documents."""
    inv = [i for i in raw["invitations"] if i["respondent_id"] in people]
    ends = [e for e in raw["ends"] if e["respondent_id"] in people]
    planned = defaultdict(set)
    done = defaultdict(set)
    for s in raw["planned"] + raw["completed"]:
        for m in (s["mentor_id"], s["mentee_id"]):
            if m in people:
                planned[m].add(s["_id"])
    for s in raw["completed"]:
        for m in (s["mentor_id"], s["mentee_id"]):
            if m in people:
                done[m].add(s["_id"])
    scores = [e["nps"] for e in ends]
    out = {
        "response_rate": (round(len([i for i in inv if i["_id"] in raw["answered"]]) / len(inv), 3), len(inv)),
        "recommendation_rate": (round(sum(e["would_recommend"] for e in ends) / len(ends), 3), len(ends)),
        "nps": (round(100 * (len([s for s in scores if s > 8]) - len([s for s in scores if s < 7])) / len(scores), 1),
                len(scores)),
        "completion_rate": (round(sum(len(v) for v in done.values()) / sum(len(v) for v in planned.values()), 3),
                            len(planned)),
    }
    uplift = defaultdict(list)
    for e in ends:
        before = {x["key"]: x["value"] for x in e["skills_before"]}
        for x in e["skills_after"]:
            if x["key"] in before:
                uplift[x["key"]].append(x["value"] - before[x["key"]])
    for topic, deltas in uplift.items():
        out[f"skill:{topic}"] = (round(sum(deltas) / len(deltas), 3), len(deltas)) if len(deltas) >= K else (None, 0)
    return {k: v if v[1] >= K else (None, 0) for k, v in out.items()}




async def test_a_pair_completed_again_invites_nobody_twice(flow, servers: Servers):
    sc, db, kafka, _, _ = flow
    ended = sc.ended[0]
    again = ended.model_copy(update={"event_id": uuid.uuid4()})  # a producer's retry: same facts, new event
    for e in (ended, again):
        await publish_raw(servers, topic_for(e), e.partition_key.encode(),
                          e.model_dump_json().encode())
    processed = await eventually(lambda: Inbox(db).seen(again.event_id))
    assert processed, "feedback did not consume the re-sent PairCompleted"
    assert await db.invitations.count_documents({"pair_id": str(ended.pair_id), "kind": "end"}) == 2
    await kafka.settle()
    announced = [r for r in kafka.records if r.topic == "feedback.survey-invited.v1"
                 and r.json().get("pair_id") == str(ended.pair_id) and r.json().get("kind") == "end"]
    assert len({r.json()["survey_id"] for r in announced}) == 2
    assert {r.json().get("causation_id") for r in announced} == {str(ended.event_id)}
