"""The four services as separate OS processes on the real infrastructure, driven over HTTP and
observed from Kafka with a plain aiokafka consumer, as a subscribing enterprise system would."""

import asyncio
import json
import uuid
from pathlib import Path

import httpx
from pymongo import AsyncMongoClient

from shared.contracts import EVENTS, topic_for
from shared.contracts.topics import SERVICES_ONLY
from shared.security import PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER
from tests.factories import participant_request, programme_request
from tests.kafka_probe import TopicReader, eventually
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import ROOT, Servers


async def test_enrolment_to_survey_across_four_processes(servers: Servers, run_id: str, people: Identity):
    """Each step by whom it belongs to, with real tokens: the platform admin launches, HR's system enrolls
    (client credentials), the programme's manager completes a session, the mentee answers; events are read
    as the enterprise subscriber reads them."""
    prefix = f"e2e_{run_id}_"
    log_dir = ROOT / ".local" / "logs" / f"e2e-{run_id}"
    admin, hr = await people.headers(PLATFORM_ADMIN), await people.hr_headers()
    with running_services(servers, log_dir, database_prefix=prefix) as svc:
        async with httpx.AsyncClient(timeout=10) as http, \
                TopicReader(servers, [topic_for(e) for e in EVENTS if topic_for(e) not in SERVICES_ONLY],
                            principal="enterprise-subscriber") as kafka:
            enrollment = svc["enrollment"].url
            programme = (await http.post(f"{enrollment}/programmes", json=programme_request(), headers=admin)).json()
            pid = programme["programme_id"]
            # One flow for both enrollments: their events travel on different partitions, so matching may
            # see either one last, and the pair carries the correlation id of whichever completed it.
            flow_id = str(uuid.uuid4())
            mentor = (await http.post(f"{enrollment}/programmes/{pid}/participants",
                                      headers={"X-Correlation-ID": flow_id, **hr},
                                      json=participant_request("J-1", "mentor", languages=["fr", "en"]))).json()
            mentee = (await http.post(f"{enrollment}/programmes/{pid}/participants",
                                      json=participant_request("S-1", "mentee", country="BR", languages=["en", "pt"],
                                                               time_zone="America/Sao_Paulo"),
                                      headers={"X-Correlation-ID": flow_id, **hr})).json()
            own = await people.headers(PARTICIPANT, participants=[mentee["participant_id"]])
            manager = await people.headers(PROGRAMME_MANAGER, programmes=[pid])
            mine = await http.get(f"{enrollment}/programmes/{pid}/participants/{mentee['participant_id']}", headers=own)
            theirs = await http.get(f"{enrollment}/programmes/{pid}/participants/{mentor['participant_id']}",
                                    headers=own)
            listed_by_hr = await http.get(f"{enrollment}/programmes/{pid}/participants", headers=hr)
            assert (mine.status_code, theirs.status_code, listed_by_hr.status_code) == (200, 404, 403)

            pair_created = next(r.json() for r in await kafka.wait_for(
                lambda r: r.topic == "matching.pair-created.v2" and r.json().get("programme_id") == pid, timeout=180))
            assert pair_created["mentor"]["participant_id"] == mentor["participant_id"]
            assert pair_created["mentee"]["participant_id"] == mentee["participant_id"]
            assert pair_created["language"] == "en"
            assert pair_created["correlation_id"] == flow_id, "the correlation id is copied along the flow"

            of_pair = pair_created["pair_id"]
            scheduled = await kafka.wait_for(lambda r: r.topic == "scheduling.session-scheduled.v1"
                                             and r.json().get("pair_id") == of_pair, count=3, timeout=180)
            scheduled = sorted((r.json() for r in scheduled), key=lambda e: e["sequence"])
            assert [e["sequence"] for e in scheduled] == [1, 2, 3]
            first = scheduled[0]
            assert {e["correlation_id"] for e in scheduled} == {flow_id}
            assert {e["causation_id"] for e in scheduled} == {pair_created["event_id"]}

            done = await http.post(f"{svc['scheduling'].url}/sessions/{first['session_id']}/completion",
                                   json={"actual_minutes": 55}, headers=manager)
            assert done.status_code == 200 and done.json()["status"] == "completed"

            survey = {"session_id": first["session_id"], "respondent_id": mentee["participant_id"],
                      "rating": 5, "would_recommend": True, "comment": "Learned to prompt Copilot"}
            submitted = await _submit_when_feedback_knows_the_session(http, svc["feedback"].url, survey, own)
            assert submitted.status_code == 201, submitted.text

            surveys = await kafka.wait_for(lambda r: r.topic == "feedback.survey-submitted.v1"
                                           and r.json().get("session_id") == first["session_id"], timeout=30)
            assert len(surveys) == 1 and surveys[0].json()["would_recommend"] is True
            assert "comment" not in surveys[0].json(), "free text stays in feedback's database"

            flow = {r.json().get("event_type") for r in kafka.records
                    if r.json().get("programme_id") == pid or r.json().get("participant_id") in
                    (mentor["participant_id"], mentee["participant_id"])}
            assert flow >= {"ProgrammeLaunched", "ParticipantEnrolled", "PairCreated", "SessionScheduled",
                            "SessionCompleted", "SurveySubmitted"}

    await _each_service_database_holds_its_part(servers, prefix, pid, pair_created["pair_id"], first["session_id"])
    assert not any("Traceback" in p.read_text() for p in Path(log_dir).glob("*.log"))
    matching_log = [json.loads(line) for line in (log_dir / "matching.log").read_text().splitlines()
                    if line.startswith("{")]
    assert any(entry.get("correlation_id") == flow_id and entry["service"] == "matching" for entry in matching_log)


async def _submit_when_feedback_knows_the_session(http: httpx.AsyncClient, url: str, body: dict,
                                                  headers: dict) -> httpx.Response:
    # Feedback learns of the completion from Kafka, so it may answer 409 for a moment.
    for _ in range(100):
        response = await http.post(f"{url}/surveys", json=body, headers=headers)
        if response.status_code != 409:
            return response
        await asyncio.sleep(0.2)
    return response


async def _each_service_database_holds_its_part(servers: Servers, prefix: str, pid: str, pair_id: str,
                                                session_id: str) -> None:
    client = AsyncMongoClient(servers.mongodb_url)
    assert await client[f"{prefix}enrollment"].participants.count_documents({"programme_id": pid}) == 2
    assert await client[f"{prefix}matching"].pairs.count_documents({"_id": pair_id}) == 1
    schedule = await client[f"{prefix}scheduling"].pairs.find_one({"_id": pair_id})
    assert schedule["status"] == "planned" and schedule["sessions"][0]["status"] == "completed"
    assert await client[f"{prefix}feedback"].completed_sessions.count_documents({"_id": session_id}) == 1
    assert await client[f"{prefix}feedback"].surveys.count_documents({"session_id": session_id}) == 1
    for service in ("enrollment", "matching", "scheduling", "feedback"):
        # Nothing waits in any outbox: a marker stands for every write not yet published (one of a
        # write that lost its version check goes within two sweeps; one written ahead of matching's
        # next programme write stands for a write not made yet).
        markers = client[f"{prefix}{service}"].outbox_markers
        assert await eventually(lambda m=markers: _none(m)), f"{service} has events waiting"


async def _none(collection) -> bool:
    return await collection.count_documents({"ahead": {"$ne": True}}) == 0
