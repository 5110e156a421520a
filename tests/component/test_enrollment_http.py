"""Enrollment's HTTP surface with a fake unit of work: status codes and error bodies."""

import httpx
import pytest

from enrollment.config import Settings
from enrollment.entrypoints.app import create_app
from shared.runtime import Services
from tests.factories import participant_request, programme_request
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork
from tests.local_issuer import LOCAL, local_runtime


@pytest.fixture
def http() -> httpx.AsyncClient:
    uow = FakeEnrollmentUnitOfWork()
    services = Services(local_runtime(Settings()), lambda: uow)
    # No lifespan: nothing connects to Kafka or MongoDB.
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(services=services)), base_url="http://t",
                             headers=LOCAL.admin())


async def _programme(http: httpx.AsyncClient) -> str:
    response = await http.post("/programmes", json=programme_request())
    assert response.status_code == 201
    return response.json()["programme_id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "boss"}, "role"),
        ({"languages": ["french"]}, "languages"),
        ({"seniority_level": 42}, "seniority_level"),
        ({"email": "not-an-email"}, "email"),
        ({"availability": [{"weekday": 7, "start": "09:00", "end": "10:00"}]}, "weekday"),
        ({"availability": [{"weekday": 1, "start": "9h", "end": "10:00"}]}, "start"),
        ({"time_zone": "Nowhere/City"}, "time_zone"),
        ({"unexpected": 1}, "unexpected"),
        ({"region": "Bavaria"}, "region"),
        ({"region": "DE-BY"}, "region"),  # a German Land for a participant in France
    ],
)
async def test_a_bad_participant_gets_a_422_naming_the_field(http, change, field):
    pid = await _programme(http)
    body = {**participant_request("E1", "mentor"), **change}
    response = await http.post(f"/programmes/{pid}/participants", json=body)
    assert response.status_code == 422
    assert field in [str(part) for part in response.json()["detail"][0]["loc"]]


async def test_an_unknown_programme_is_a_404_and_an_oversized_payload_a_413(http):
    unknown = await http.post("/programmes/00000000-0000-0000-0000-000000000000/participants",
                              json=participant_request("E1", "mentor"))
    assert unknown.status_code == 404 and unknown.json()["detail"][0]["loc"] == ["path", "programme_id"]
    pid = await _programme(http)
    huge = await http.post(f"/programmes/{pid}/participants", content=b"x" * 1_100_000,
                           headers={"content-type": "application/json"})
    assert huge.status_code == 413


async def test_re_sending_a_participant_answers_200_with_the_same_id_and_changed_data_updates(http):
    pid = await _programme(http)
    first = await http.post(f"/programmes/{pid}/participants", json=participant_request("E1", "mentor"))
    again = await http.post(f"/programmes/{pid}/participants", json=participant_request("E1", "mentor"))
    other = await http.post(f"/programmes/{pid}/participants", json=participant_request("E1", "both"))
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 200)
    assert first.json()["participant_id"] == again.json()["participant_id"] == other.json()["participant_id"]
    assert other.json()["role"] == "both"


async def test_participants_are_listed_page_by_page(http):
    pid = await _programme(http)
    for i in range(5):
        await http.post(f"/programmes/{pid}/participants", json=participant_request(f"E{i}", "mentor"))
    page = (await http.get(f"/programmes/{pid}/participants", params={"offset": 2, "limit": 2})).json()
    assert (page["total"], len(page["items"]), page["offset"]) == (5, 2, 2)
    assert (await http.get(f"/programmes/{pid}/participants", params={"limit": 0})).status_code == 422


async def test_withdrawal_over_http_is_idempotent_and_shows_in_the_participant(http):
    pid = await _programme(http)
    participant = (await http.post(f"/programmes/{pid}/participants", json=participant_request("E1", "mentee"))).json()
    url = f"/programmes/{pid}/participants/{participant['participant_id']}/withdrawal"
    first = await http.post(url, json={"reason": "left_company"})
    again = await http.post(url, json={"reason": "left_company"})
    other = await http.post(url, json={"reason": "withdrew"})
    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 409)
    assert first.json()["status"] == "withdrawn" and first.json()["withdrawal_reason"] == "left_company"
    assert (await http.post(url, json={"reason": "bored"})).status_code == 422


async def test_a_programme_with_an_unknown_default_time_zone_is_refused_naming_the_country(http):
    response = await http.post("/programmes", json=programme_request(time_zones={"FR": "Europe/Lutetia"}))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "time_zones", "FR"]


CSV = ("employee_id,display_name,role,country,languages,time_zone,seniority_level\n"
       "H1,Hana,mentor,FR,fr,Europe/Paris,1\n"
       "H2,Hugo,mentee,DE,de,Europe/Berlin,9\n"
       "H3,Hal,mentee,FR,fr,Nowhere/Town,8\n")


async def test_an_hr_export_is_imported_over_http_with_a_per_row_report_and_counted_in_statistics(http):
    pid = await _programme(http)
    response = await http.post(f"/programmes/{pid}/imports", content=CSV.encode(),
                               headers={"content-type": "text/csv"})
    assert response.status_code == 200
    report = response.json()
    assert (report["rows"], report["enrolled"]) == (3, 2)
    assert report["rejected"] == [{"row": 4, "field": "time_zone", "reason": "'Nowhere/Town' is not an IANA time zone"}]

    stats = (await http.get(f"/programmes/{pid}/statistics")).json()
    assert (stats["total"], stats["by_role"], stats["by_country"]) == (2, {"mentor": 1, "mentee": 1},
                                                                        {"FR": 1, "DE": 1})
    mentees = (await http.get(f"/programmes/{pid}/participants", params={"role": "mentee", "country": "de"})).json()
    assert [p["employee_id"] for p in mentees["items"]] == ["H2"]


async def test_an_export_missing_a_column_or_not_utf8_is_refused_naming_the_problem(http):
    pid = await _programme(http)
    missing = await http.post(f"/programmes/{pid}/imports", content=b"employee_id,role\nH1,mentor\n",
                              headers={"content-type": "text/csv"})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "columns", "display_name"]
    latin1 = await http.post(f"/programmes/{pid}/imports", content=CSV.replace("Hugo", "Hugö").encode("latin-1"),
                             headers={"content-type": "text/csv"})
    assert latin1.status_code == 422 and latin1.json()["detail"][0]["loc"] == ["body", "file"]


async def test_a_programme_is_changed_closed_and_listed_over_http(http):
    pid = await _programme(http)
    changed = await http.patch(f"/programmes/{pid}", json={"cadence_days": 21, "mentor_capacity": 1})
    assert changed.status_code == 200 and changed.json()["cadence_days"] == 21
    assert (await http.patch(f"/programmes/{pid}", json={"cadence_days": 0})).status_code == 422
    assert (await http.patch(f"/programmes/{pid}", json={"code": "X"})).status_code == 422
    closed = await http.post(f"/programmes/{pid}/closure")
    assert closed.json()["status"] == "closed"
    refused = await http.post(f"/programmes/{pid}/participants", json=participant_request("E1", "mentor"))
    assert refused.status_code == 409 and refused.json()["detail"][0]["loc"] == ["body", "programme_id"]
    listed = (await http.get("/programmes", params={"status": "closed"})).json()
    assert [p["programme_id"] for p in listed["items"]] == [pid]


async def test_curricula_are_listed_and_a_version_cannot_be_rewritten_over_http(http):
    assert [c["version"] for c in (await http.get("/curricula")).json()] == ["2026.1"]
    body = {"version": "2027.1", "title": "Agents", "modules": [
        {"code": "agents", "title": "AI agents", "topics": [{"code": "ai-agents", "title": "Agents"}]}]}
    assert (await http.post("/curricula", json=body)).status_code == 201
    assert (await http.post("/curricula", json=body)).status_code == 200
    rewritten = await http.post("/curricula", json={**body, "title": "Changed"})
    assert rewritten.status_code == 409 and rewritten.json()["detail"][0]["loc"] == ["body", "version"]
    assert (await http.get("/curricula/2027.1")).json()["title"] == "Agents"
    assert (await http.get("/curricula/1999.1")).status_code == 404


async def test_a_region_and_the_programme_calendar_are_kept_and_shown(http):
    body = {"code": "CAL-1", "name": "Calendar", "countries": ["DE"], "languages": ["de"], "sessions_per_pair": 3,
            "cadence_days": 14, "starts_on": "2027-01-11", "ends_on": "2027-06-30",
            "calendar": {"grid_minutes": 30, "weekend_days": [5, 6], "holidays": "national"},
            "planning_deadline_days": 10}
    programme = (await http.post("/programmes", json=body)).json()
    assert (programme["starts_on"], programme["ends_on"], programme["planning_deadline_days"]) == \
        ("2027-01-11", "2027-06-30", 10)
    assert programme["calendar"] == {"grid_minutes": 30, "weekend_days": [5, 6], "holidays": "national"}
    person = participant_request("B1", "mentee", country="DE", languages=["de"], time_zone="Europe/Berlin",
                                 region="de-by")
    enrolled = (await http.post(f"/programmes/{programme['programme_id']}/participants", json=person)).json()
    assert enrolled["region"] == "DE-BY"
    too_short = {**body, "code": "CAL-2", "ends_on": "2027-01-20"}
    refused = await http.post("/programmes", json=too_short)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "ends_on"]
