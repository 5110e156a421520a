"""Right to be forgotten across the four services, as separate processes on the real infrastructure:
after an erasure, no service's database holds anything that identifies the person, while anonymous
figures (a survey's score) remain."""

import asyncio
import time

import httpx
from pymongo import AsyncMongoClient

from shared.security import PARTICIPANT, PLATFORM_ADMIN
from tests.factories import participant_request, programme_request
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import ROOT, Servers

SERVICES = ("enrollment", "matching", "scheduling", "feedback")


async def _traces(client: AsyncMongoClient, prefix: str, needles: list[str]) -> list[str]:
    found = []
    for service in SERVICES:
        db = client[f"{prefix}{service}"]
        for name in await db.list_collection_names():
            if name.startswith("processed_events"):  # the inbox: event ids only
                continue
            async for doc in db[name].find({}):
                text = repr(doc)
                found += [f"{service}.{name}: {n!r}" for n in needles if n in text]
    return found


async def _until(check, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := await check():
            return result
        await asyncio.sleep(0.5)
    return await check()


async def _erasure_entries(http: httpx.AsyncClient, base: str, stand_in: list[str]) -> list[dict]:
    found = (await http.get(f"{base}/audit", params={"operation": "participants.erasure-applied"})).json()["items"]
    return [e for e in found if e["participant_ids"] == stand_in]


async def test_an_erased_participant_leaves_no_personal_data_in_any_service(servers: Servers, run_id: str,
                                                                          people: Identity):
    prefix = f"erase_{run_id}_"
    admin = await people.headers(PLATFORM_ADMIN)
    with running_services(servers, ROOT / ".local" / "logs" / f"erase-{run_id}", database_prefix=prefix) as svc:
        url = {name: s.url for name, s in svc.items()}
        async with httpx.AsyncClient(timeout=30, headers=admin) as http:
            pid = (await http.post(f"{url['enrollment']}/programmes", json=programme_request())).json()["programme_id"]
            enrolled = f"{url['enrollment']}/programmes/{pid}/participants"
            mentor = (await http.post(enrolled, json=participant_request("J-7", "mentor", display_name="Jade Junior",
                                                                          email="jade@example.com"))).json()
            mentee = (await http.post(enrolled, json=participant_request("S-7", "mentee", display_name="Sam Senior",
                                                                          email="sam@example.com"))).json()
            report = (await http.post(enrolled, json=participant_request("R-7", "mentor",
                                                                          manager_employee_id="S-7"))).json()
            assert report["manager_employee_id"] == "S-7"

            async def schedule():
                pairs = (await http.get(f"{url['scheduling']}/pairs", params={"programme_id": pid})).json()["items"]
                return next((p for p in pairs if p["sessions"]), None)

            pair = await _until(schedule)
            assert pair is not None, "the pair was never scheduled"
            session = pair["sessions"][0]["session_id"]
            done = await http.post(f"{url['scheduling']}/sessions/{session}/completion", json={"actual_minutes": 50})
            assert done.status_code == 200

            async def surveyed():
                r = await http.post(f"{url['feedback']}/surveys", json={
                    "session_id": session, "respondent_id": mentee["participant_id"], "rating": 4,
                    "comment": "Sam found prompting Copilot eye-opening"})
                return r if r.status_code == 201 else None

            assert await _until(surveyed), "feedback never accepted the survey"

            client = AsyncMongoClient(servers.mongodb_url)
            needles = [mentee["participant_id"], pair["pair_id"], session, "S-7", "Sam Senior", "sam@example.com",
                       "eye-opening"]
            before = await _traces(client, prefix, needles)
            assert {t.split(".")[0] for t in before} == set(SERVICES), "the person was known to every service"

            # The person asks for it themself, with their own token.
            own = await people.headers(PARTICIPANT, participants=[mentee["participant_id"]])
            erased = await http.post(f"{enrolled}/{mentee['participant_id']}/erasure", headers=own)
            assert erased.status_code == 202
            assert (await http.post(f"{enrolled}/{mentee['participant_id']}/erasure")).status_code == 404

            async def gone():
                return await _traces(client, prefix, needles) == []

            assert await _until(gone), f"still there: {await _traces(client, prefix, needles)}"
            # The trail keeps the request and each service's erasure, under the id that now stands for the person.
            request = (await http.get(f"{url['enrollment']}/audit", params={"operation": "participants.erase"}))
            stand_in = next(e for e in request.json()["items"] if e["status"] == 202)["participant_ids"]
            assert stand_in and stand_in != [mentee["participant_id"]]
            for service in SERVICES:
                applied = await _until(lambda s=service: _erasure_entries(http, url[s], stand_in))
                assert applied, f"{service} kept no trace of applying the erasure"
            # What aggregate statistics need stays, anonymously: the survey's score and the other people.
            scores = [s["rating"] async for s in client[f"{prefix}feedback"].surveys.find({})]
            assert scores == [4]
            kept = await _traces(client, prefix, [mentor["participant_id"], report["participant_id"]])
            assert any(t.startswith("enrollment.participants") for t in kept)
