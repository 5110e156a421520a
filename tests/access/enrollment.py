"""Enrollment's access world: programme P (FR, DE), A enrolled in FR (the owner), D in DE."""

import uuid

import httpx

from enrollment.config import Settings
from enrollment.entrypoints.app import create_app
from shared.runtime import Services
from shared.security import Scope
from tests.access.world import ADMIN, Call, World, person_level
from tests.factories import participant_request, programme_request
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork
from tests.local_issuer import local_runtime

CSV = "employee_id,display_name,role,country,languages,time_zone,seniority_level\nH1,Hana,mentor,FR,fr,Europe/Paris,1\n"
CURRICULUM = {"version": "2099.1", "title": "Agents", "modules": [
    {"code": "agents", "title": "AI agents", "topics": [{"code": "ai-agents", "title": "Agents"}]}]}


def _programme_seen(scope: Scope, item: dict) -> bool:
    return scope.sees_programme(uuid.UUID(item["programme_id"]), item["countries"])


CALLS = {
    "GET /curricula": Call("GET", "/curricula"),
    "POST /curricula": Call("POST", "/curricula", CURRICULUM),
    "GET /curricula/{version}": Call("GET", "/curricula/2026.1"),
    "POST /programmes": Call("POST", "/programmes", lambda ids: programme_request()),
    "GET /programmes": Call("GET", "/programmes", admits=_programme_seen),
    "GET /programmes/{programme_id}": Call("GET", "/programmes/{P}"),
    "PATCH /programmes/{programme_id}": Call("PATCH", "/programmes/{P}", {"cadence_days": 21}),
    "POST /programmes/{programme_id}/closure": Call("POST", "/programmes/{P}/closure"),
    "GET /programmes/{programme_id}/statistics": Call("GET", "/programmes/{P}/statistics"),
    "POST /programmes/{programme_id}/participants": Call(
        "POST", "/programmes/{P}/participants", participant_request("E-NEW", "mentee", country="FR")),
    "GET /programmes/{programme_id}/participants": Call(
        "GET", "/programmes/{P}/participants", admits=person_level("programme_id", "country", "participant_id")),
    "GET /programmes/{programme_id}/participants/{participant_id}": Call("GET", "/programmes/{P}/participants/{A}"),
    "POST /programmes/{programme_id}/participants/{participant_id}/withdrawal": Call(
        "POST", "/programmes/{P}/participants/{A}/withdrawal", {"reason": "left_company"}),
    "POST /programmes/{programme_id}/participants/{participant_id}/erasure": Call(
        "POST", "/programmes/{P}/participants/{A}/erasure"),
    "POST /programmes/{programme_id}/imports": Call("POST", "/programmes/{P}/imports", CSV, csv=True),
    "GET /audit": Call("GET", "/audit"),
}


def app():
    holder = {}
    services = Services(local_runtime(Settings()), lambda: holder["uow"])
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(services=services)), base_url="http://t")

    async def seed() -> World:
        holder["uow"] = FakeEnrollmentUnitOfWork()
        pid = (await http.post("/programmes", json=programme_request(countries=["FR", "DE"]), headers=ADMIN)).json()[
            "programme_id"]
        a = (await http.post(f"/programmes/{pid}/participants", json=participant_request("E-A", "mentor"),
                             headers=ADMIN)).json()["participant_id"]
        d = (await http.post(f"/programmes/{pid}/participants", headers=ADMIN,
                             json=participant_request("E-D", "mentee", country="DE", time_zone="Europe/Berlin",
                                                      languages=["de"]))).json()["participant_id"]
        return World(http, {"P": uuid.UUID(pid), "A": uuid.UUID(a), "D": uuid.UUID(d)})

    return seed
