"""Feedback on FastStream's in-memory broker and its HTTP app, with a fake unit of work: events in,
invitations out, surveys answered over HTTP, the impact report as JSON, CSV and HTML, and gauges."""

import csv
import io
import uuid

import httpx
import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from prometheus_client import CollectorRegistry

from feedback.config import Settings
from feedback.entrypoints.app import create_app
from feedback.entrypoints.consumers import build_kafka_router
from shared.contracts import topic_for
from shared.messaging.consumer import EventConsumer
from shared.observability.metrics import DeliveryMetrics
from shared.runtime import Services
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.fakes.memory import FakeInbox
from tests.feedback_scenario import Scenario, programme
from tests.local_issuer import LOCAL, local_runtime


async def _consume(sc: Scenario, uow: FakeFeedbackUnitOfWork) -> None:
    broker = KafkaBroker("in-memory")
    consumer = EventConsumer("feedback", broker, FakeInbox(), DeliveryMetrics.on(CollectorRegistry()), backoff_ms=0)
    broker.include_router(build_kafka_router(consumer, lambda: uow))
    async with TestKafkaBroker(broker) as br:
        for event in sc.events():
            await br.publish(event.model_dump_json().encode(), topic=topic_for(event), key=b"k")


def _client(uow: FakeFeedbackUnitOfWork, **settings: object) -> httpx.AsyncClient:
    services = Services(local_runtime(Settings(**settings)), lambda: uow)
    app = create_app(Settings(**settings), services=services)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t", headers=LOCAL.admin())


@pytest.fixture
async def answered() -> tuple[Scenario, FakeFeedbackUnitOfWork, httpx.AsyncClient]:
    sc, uow = programme(pairs=20, countries=("FR", "DE")), FakeFeedbackUnitOfWork()
    await _consume(sc, uow)
    http = _client(uow)
    for body in sc.session_answers:
        assert (await http.post("/surveys", json=body)).status_code == 201
    for body in sc.end_answers:
        response = await http.post("/end-surveys", json=body)
        assert response.status_code == 201, response.text
    return sc, uow, http


async def test_consumed_events_become_invitations_listed_per_respondent(answered):
    sc, uow, http = answered
    person = sc.ended[0].mentee_id
    page = (await http.get("/invitations", params={"respondent_id": str(person), "limit": 2})).json()
    assert page["total"] == 3 + 1 and len(page["items"]) == 2  # three sessions, then the end survey
    query = {"programme_id": str(sc.programme_id), "kind": "end", "limit": 500}
    ends = (await http.get("/invitations", params=query)).json()
    assert ends["total"] == 2 * len(sc.ended) and {i["kind"] for i in ends["items"]} == {"end"}
    assert len(uow.participants.items) == len(sc.enrolled) and len(uow.planned.items) == len(sc.scheduled)


async def test_the_report_is_served_as_json_csv_and_html_with_the_same_figures(answered):
    sc, _, http = answered
    base = f"/programmes/{sc.programme_id}/impact"
    report = (await http.get(base)).json()
    overall = next(g for g in report["groups"] if g["dimension"] == "programme")
    rec = overall["figures"]["recommendation_rate"]
    assert rec["n"] == len(sc.end_answers) and report["min_group_size"] == 5
    rows = list(csv.DictReader(io.StringIO((await http.get(base + ".csv")).text)))
    csv_rec = next(r for r in rows if r["dimension"] == "programme" and r["figure"] == "recommendation_rate")
    assert (float(csv_rec["value"]), int(csv_rec["n"])) == (rec["value"], rec["n"])
    page = await http.get(base + ".html")
    assert page.headers["content-type"].startswith("text/html")
    assert f"{100 * rec['value']:.1f} %" in page.text and "<svg" in page.text and "<script" not in page.text


async def test_gauges_show_recommendation_nps_and_response_rate_per_programme_and_country(answered):
    sc, _, http = answered
    await http.get(f"/programmes/{sc.programme_id}/impact")
    metrics = (await http.get("/metrics")).text
    for name in ("binome_feedback_recommendation_rate", "binome_feedback_nps", "binome_feedback_response_rate"):
        assert f'{name}{{country="FR",programme="{sc.programme_id}"}}' in metrics


@pytest.mark.parametrize(("change", "field"), [
    ({"nps": 11}, "nps"), ({"gains": ["telepathy"]}, "gains"), ({"attitudes": [{"item": "x", "score": 9}]}, "score"),
    ({"skills": [{"topic": "Copilot!", "proficiency": 2}]}, "topic"), ({"surprise": 1}, "surprise"),
])
async def test_a_bad_end_survey_gets_a_422_naming_the_field(answered, change, field):
    sc, _, http = answered
    response = await http.post("/end-surveys", json={**sc.end_answers[0], **change})
    assert response.status_code == 422
    assert field in [str(p) for p in response.json()["detail"][0]["loc"]]


async def test_a_different_second_answer_is_a_409_or_replaces_the_first_when_configured(answered):
    sc, uow, http = answered
    body = {**sc.end_answers[0], "nps": 0 if sc.end_answers[0]["nps"] else 10}
    refused = await http.post("/end-surveys", json=body)
    assert refused.status_code == 409 and refused.json()["detail"][0]["loc"] == ["body", "respondent_id"]
    replacing = _client(uow, survey_resubmission="replace")
    replaced = await replacing.post("/end-surveys", json=body)
    assert replaced.status_code == 201 and replaced.json()["revision"] == 2


async def test_an_end_survey_before_the_pair_completed_is_a_404_naming_the_respondent():
    sc, uow = programme(pairs=2), FakeFeedbackUnitOfWork()
    http = _client(uow)
    response = await http.post("/end-surveys", json=sc.end_answers[0])
    assert response.status_code == 404 and response.json()["detail"][0]["loc"] == ["body", "respondent_id"]


async def test_a_session_survey_with_an_unknown_attitude_item_is_a_422_naming_attitudes(answered):
    sc, _, http = answered
    body = {**sc.session_answers[0], "attitudes": [{"item": "lazy", "score": 3}]}
    response = await http.post("/surveys", json=body)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "attitudes"]


async def test_the_report_of_a_known_programme_nobody_answered_yet_is_a_report_not_an_error():
    sc, uow = programme(pairs=2, countries=("FR",)), FakeFeedbackUnitOfWork()
    await _consume(sc, uow)
    response = await _client(uow).get(f"/programmes/{sc.programme_id}/impact.html")
    assert response.status_code == 200 and "<html" in response.text.lower()


async def test_the_impact_report_of_a_programme_feedback_never_heard_of_is_404_in_every_format():
    http = _client(FakeFeedbackUnitOfWork())
    for suffix in ("", ".csv", ".html"):
        response = await http.get(f"/programmes/{uuid.uuid4()}/impact{suffix}")
        assert response.status_code == 404
        assert response.json()["detail"][0]["loc"] == ["path", "programme_id"]
