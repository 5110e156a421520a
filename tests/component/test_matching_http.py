"""Matching's HTTP surface with a fake unit of work: rounds, mode and pair rules, status codes and
error bodies that name the field."""

import uuid

import httpx
import pytest

from matching import handlers
from tests.component.matching_app import admin_client
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.unit.matching.builders import enrolled, person


@pytest.fixture
def uow() -> FakeMatchingUnitOfWork:
    return FakeMatchingUnitOfWork()


@pytest.fixture
def http(uow) -> httpx.AsyncClient:
    return admin_client(uow)


async def _rounds_programme(http, uow, mentees: int, mentors: int):
    pid = uuid.uuid4()
    assert (await http.put(f"/programmes/{pid}/mode", json={"mode": "rounds"})).status_code == 200
    people = [person("mentee", pid) for _ in range(mentees)] + [person("mentor", pid) for _ in range(mentors)]
    for c in people:
        await handlers.add_candidate(enrolled(c), uow)
    return pid, people


def _field(response: httpx.Response) -> str:
    return response.json()["detail"][0]["loc"][-1]


async def test_a_round_preview_is_paged_and_a_second_request_returns_the_same_pending_round(http, uow):
    pid, _ = await _rounds_programme(http, uow, mentees=3, mentors=3)
    first = await http.post(f"/programmes/{pid}/rounds", params={"limit": 2})
    assert first.status_code == 201
    body = first.json()
    assert body["proposals_total"] == 3 and len(body["proposals"]) == 2 and body["status"] == "preview"
    again = await http.post(f"/programmes/{pid}/rounds")
    assert again.status_code == 200 and again.json()["round_id"] == body["round_id"]
    page = await http.get(f"/programmes/{pid}/rounds/{body['round_id']}", params={"offset": 2, "limit": 2})
    assert len(page.json()["proposals"]) == 1
    assert (await http.get(f"/programmes/{pid}")).json()["pending_round_id"] == body["round_id"]


async def test_publishing_a_round_creates_the_pairs_and_a_resend_returns_the_same_result(http, uow):
    pid, _ = await _rounds_programme(http, uow, mentees=2, mentors=2)
    round_id = (await http.post(f"/programmes/{pid}/rounds")).json()["round_id"]
    url = f"/programmes/{pid}/rounds/{round_id}/decision"
    published = await http.post(url, json={"decision": "publish"})
    assert published.status_code == 200 and published.json()["published_pairs"] == 2
    assert (await http.post(url, json={"decision": "publish"})).json()["published_pairs"] == 2
    pairs = (await http.get("/pairs", params={"programme_id": str(pid), "limit": 1})).json()
    assert pairs["total"] == 2 and len(pairs["items"]) == 1
    assert set(pairs["items"][0]["score_breakdown"]) == {"complementarity", "availability", "time_zone"}
    discard = await http.post(url, json={"decision": "discard"})
    assert discard.status_code == 409 and _field(discard) == "round_id"


@pytest.mark.parametrize(("path", "body", "field"), [
    ("mode", {"mode": "sometimes"}, "mode"),
    ("pair-rules", {"mentor_id": "x", "mentee_id": str(uuid.uuid4()), "kind": "pinned"}, "mentor_id"),
    ("pair-rules", {"mentor_id": str(uuid.uuid4()), "mentee_id": str(uuid.uuid4()), "kind": "maybe"}, "kind"),
])
async def test_a_malformed_request_gets_a_422_naming_the_field(http, path, body, field):
    method = http.put if path == "mode" else http.post
    response = await method(f"/programmes/{uuid.uuid4()}/{path}", json=body)
    assert response.status_code == 422 and _field(response) == field


async def test_a_pair_rule_on_unknown_or_miscast_participants_is_rejected_naming_the_field(http, uow):
    pid, people = await _rounds_programme(http, uow, mentees=1, mentors=1)
    mentee, mentor = people
    unknown = await http.post(f"/programmes/{pid}/pair-rules", json={
        "mentor_id": str(mentor.participant_id), "mentee_id": str(uuid.uuid4()), "kind": "forbidden"})
    assert unknown.status_code == 404 and _field(unknown) == "mentee_id"
    miscast = await http.post(f"/programmes/{pid}/pair-rules", json={
        "mentor_id": str(mentee.participant_id), "mentee_id": str(mentor.participant_id), "kind": "pinned"})
    assert miscast.status_code == 422 and _field(miscast) == "mentor_id"
    rule = {"mentor_id": str(mentor.participant_id), "mentee_id": str(mentee.participant_id), "kind": "pinned"}
    assert (await http.post(f"/programmes/{pid}/pair-rules", json=rule)).status_code == 201
    assert (await http.post(f"/programmes/{pid}/pair-rules", json=rule)).status_code == 200


async def test_unknown_rounds_pairs_and_programmes_are_404_naming_the_id(http):
    pid = uuid.uuid4()
    assert _field(await http.get(f"/programmes/{pid}")) == "programme_id"
    assert _field(await http.get(f"/programmes/{pid}/rounds/{uuid.uuid4()}")) == "round_id"
    assert _field(await http.get(f"/pairs/{uuid.uuid4()}")) == "pair_id"
