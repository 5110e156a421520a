"""Right to be forgotten across the four services, as separate processes on the real infrastructure:
after an erasure, no service's database holds anything that identifies the person, the store's raw
files keep none of the erased bytes, no topic carries their name, e-mail or employee id, while
anonymous figures (a survey's score) remain."""

import asyncio
import time
import uuid

import httpx
from pymongo import AsyncMongoClient

from tests.factories import participant_request, programme_request
from tests.kafka_probe import read_every_topic
from tools.processes import running_services
from tools.servers import ROOT, Servers

SERVICES = ("enrollment", "matching", "scheduling", "feedback")


async def _traces(client: AsyncMongoClient, prefix: str, needles: list[str]) -> list[str]:
    found = []
    for service in SERVICES:
        db = client[f"{prefix}{service}"]
        for name in await db.list_collection_names():
            if name == "processed_events":
                continue
            async for doc in db[name].find({}):
                text = repr(doc)
                found += [f"{service}.{name}: {n!r}" for n in needles if n in text]
    return found


def _raw_traces(servers: Servers, prefix: str, needles: list[str]) -> list[str]:
    """The erased bytes as they may linger in the SQLite files (freed pages, old WAL frames)."""
    assert servers.store_files is not None, "the local FerretDB's files are read raw"
    found = []
    for path in servers.store_files.glob(f"{prefix}*"):
        raw = path.read_bytes()
        found += [f"{path.name}: {n!r}" for n in needles if n.encode() in raw]
    return found


async def _until(check, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := await check():
            return result
        await asyncio.sleep(0.5)
    return await check()


async def test_an_erased_participant_leaves_no_personal_data_in_any_service(servers: Servers, run_id: str):
    prefix = f"erase_{run_id}_"
    with running_services(servers, ROOT / ".local" / "logs" / f"erase-{run_id}", database_prefix=prefix) as svc:
        url = {name: s.url for name, s in svc.items()}
        async with httpx.AsyncClient(timeout=30) as http:
            pid = (await http.post(f"{url['enrollment']}/programmes", json=programme_request())).json()["programme_id"]
            people = f"{url['enrollment']}/programmes/{pid}/participants"
            mentor = (await http.post(people, json=participant_request("J-7", "mentor", display_name="Jade Junior",
                                                                          email="jade@example.com"))).json()
            mentee = (await http.post(people, json=participant_request("S-7", "mentee", display_name="Sam Senior",
                                                                          email="sam@example.com"))).json()
            report = (await http.post(people, json=participant_request("R-7", "mentor",
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

            erased = await http.post(f"{people}/{mentee['participant_id']}/erasure")
            assert erased.status_code == 202
            assert (await http.post(f"{people}/{mentee['participant_id']}/erasure")).status_code == 404

            async def gone():
                return await _traces(client, prefix, needles) == []

            assert await _until(gone), f"still there: {await _traces(client, prefix, needles)}"
            if servers.store_files is not None:  # our FerretDB: its SQLite files are read raw too
                private = ["Sam Senior", "sam@example.com", "eye-opening", ":employee:s-7", mentee["participant_id"]]
                assert await _until(lambda: _async(not _raw_traces(servers, prefix, private))), \
                    f"erased bytes still in the store's files: {_raw_traces(servers, prefix, private)}"
            log = await read_every_topic(servers.kafka_bootstrap_servers)
            assert any(r.topic == "enrollment.participant-erased.v1" and mentee["participant_id"].encode() in r.value
                       for r in log), "the whole log was read, the erasure included"
            logged = [r for r in log
                      if any(n.encode() in r.value for n in ("Sam Senior", "sam@example.com", "S-7", "eye-opening"))]
            assert logged == [], "no topic ever carries a name, e-mail, employee id or free text"
            assert uuid.UUID(mentee["participant_id"]).version == 4  # random: not computable from "S-7"
            # What aggregate statistics need stays, anonymously: the survey's score and the other people.
            scores = [s["rating"] async for s in client[f"{prefix}feedback"].surveys.find({})]
            assert scores == [4]
            kept = await _traces(client, prefix, [mentor["participant_id"], report["participant_id"]])
            assert any(t.startswith("enrollment.participants") for t in kept)


async def _async(value):
    return value
