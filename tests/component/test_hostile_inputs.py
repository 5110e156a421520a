"""Inputs that once made a service answer 500, answered with a 4xx that names the field instead."""

import httpx
import pytest

from enrollment.config import Settings
from enrollment.entrypoints.app import create_app
from shared.http_body import MAX_BODY_BYTES
from shared.runtime import Services
from tests.factories import participant_request, programme_request
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork
from tests.local_issuer import LOCAL, local_runtime


@pytest.fixture
def http() -> httpx.AsyncClient:
    uow = FakeEnrollmentUnitOfWork()
    services = Services(local_runtime(Settings()), lambda: uow)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(services=services)), base_url="http://t",
                             headers=LOCAL.admin())


async def _programme(http: httpx.AsyncClient) -> str:
    return (await http.post("/programmes", json=programme_request())).json()["programme_id"]


async def test_an_offset_beyond_any_list_is_refused_not_overflowed(http):
    response = await http.get("/programmes", params={"offset": 2**63})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "offset"]
    assert response.json()["detail"][0]["type"]


async def test_a_lone_surrogate_in_a_json_string_is_refused_naming_the_field(http):
    pid = await _programme(http)
    raw = ('{"employee_id": "E1", "display_name": "Ada \\ud800", "role": "mentor", "country": "FR", '
           '"languages": ["fr"], "time_zone": "Europe/Paris", "seniority_level": 2, "availability": []}')
    response = await http.post(f"/programmes/{pid}/participants", content=raw.encode(),
                               headers={"content-type": "application/json"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "display_name"] and error["type"] == "value_error"


async def test_a_chunked_body_is_cut_off_at_the_limit_without_a_content_length(http):
    async def chunks():
        for _ in range(MAX_BODY_BYTES // 65_536 + 2):
            yield b" " * 65_536

    response = await http.post("/programmes", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["detail"][0]["type"] == "too_large"


async def test_null_for_a_required_setting_is_refused_naming_it_but_clears_an_optional_date(http):
    pid = await _programme(http)
    refused = await http.patch(f"/programmes/{pid}", json={"name": None})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "name"]
    cleared = await http.patch(f"/programmes/{pid}", json={"enrollment_closes": None})
    assert cleared.status_code == 200 and cleared.json()["enrollment_closes"] is None


async def test_filters_ignore_letter_case(http):
    pid = await _programme(http)
    await http.post(f"/programmes/{pid}/participants", json=participant_request("E1", "mentor", country="BR"))
    upper = await http.get(f"/programmes/{pid}/participants", params={"country": "BR", "role": "MENTOR"})
    lower = await http.get(f"/programmes/{pid}/participants", params={"country": "br", "role": "mentor"})
    assert upper.status_code == lower.status_code == 200
    assert upper.json()["total"] == lower.json()["total"] == 1


async def test_an_unknown_programme_is_404_with_the_published_error_shape(http):
    response = await http.get("/programmes/00000000-0000-4000-8000-000000000000/statistics")
    assert response.status_code == 404
    [error] = response.json()["detail"]
    assert set(error) == {"loc", "msg", "type"} and error["type"] == "not_found"
