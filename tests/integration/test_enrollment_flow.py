"""Enrollment on the real broker and store: HTTP in -> document stored -> event on Kafka, once."""

from pymongo import AsyncMongoClient

from enrollment.config import Settings
from enrollment.entrypoints.app import create_app
from shared.contracts import ParticipantEnrolled, ParticipantKey, ParticipantProfile, ProgrammeLaunched, topic_for
from shared.crypto.sealing import unseal
from tests.factories import participant_request, programme_request
from tests.integration.conftest import serving
from tests.kafka_probe import TopicReader, eventually, field_is
from tools.servers import Servers


async def test_an_enrolled_participant_is_stored_and_published_exactly_once(servers: Servers, settings_kwargs):
    settings = Settings(**settings_kwargs)
    topics = [topic_for(ProgrammeLaunched), topic_for(ParticipantKey), topic_for(ParticipantEnrolled)]
    async with serving(create_app(settings)) as http, TopicReader(servers, topics) as reader:
        programme = (await http.post("/programmes", json=programme_request())).json()
        body = participant_request("E-100", "mentee", country="DE", time_zone="Europe/Berlin")
        first = await http.post(f"/programmes/{programme['programme_id']}/participants", json=body)
        again = await http.post(f"/programmes/{programme['programme_id']}/participants", json=body)

        assert (first.status_code, again.status_code) == (201, 200)
        participant_id = first.json()["participant_id"]
        assert again.json()["participant_id"] == participant_id
        launched = await reader.wait_for(lambda r: r.topic == topic_for(ProgrammeLaunched)
                                         and r.json().get("programme_id") == programme["programme_id"])
        mine = field_is("participant_id", participant_id)
        await reader.wait_for(mine, count=2)
        await reader.settle()
        [key] = [r for r in reader.records if mine(r) and r.topic == topic_for(ParticipantKey)]
        enrolled = [r for r in reader.records if mine(r) and r.topic == topic_for(ParticipantEnrolled)]

        assert [r.topic for r in launched] == [topic_for(ProgrammeLaunched)]
        assert len(enrolled) == 1, "the idempotent re-send must not publish a second event"
        event = ParticipantEnrolled.model_validate_json(enrolled[0].value)
        assert enrolled[0].key == participant_id.encode()
        data_key = ParticipantKey.model_validate_json(key.value).data_key
        attributes = unseal(event.profile, data_key, event.participant_id, ParticipantProfile)
        assert (attributes.country, attributes.time_zone, attributes.role) == ("DE", "Europe/Berlin", "mentee")
        assert b"Europe/Berlin" not in enrolled[0].value, "attributes travel sealed"
        assert "employee_id" not in enrolled[0].json() and "display_name" not in enrolled[0].json()

    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    doc = await db.participants.find_one({"_id": participant_id})
    assert doc["employee_id"] == "E-100"
    assert await eventually(lambda: _nothing_waits(db, "participants")), "its events have all left"


async def test_invalid_input_is_refused_with_the_field_named_and_nothing_published(servers: Servers, settings_kwargs):
    settings = Settings(**settings_kwargs)
    async with serving(create_app(settings)) as http:
        programme = (await http.post("/programmes", json=programme_request())).json()
        url = f"/programmes/{programme['programme_id']}/participants"
        bad_zone = await http.post(url, json=participant_request("E-200", "mentor", time_zone="Mars/Olympus"))
        bad_country = await http.post(url, json=participant_request("E-201", "mentor", country="JP"))

    assert bad_zone.status_code == 422 and bad_zone.json()["detail"][0]["loc"][-1] == "time_zone"
    assert bad_country.status_code == 422 and bad_country.json()["detail"][0]["loc"][-1] == "country"
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    assert await db.participants.count_documents({"programme_id": programme["programme_id"]}) == 0


HR_EXPORT = ("employee_id;display_name;role;country;languages;time_zone;seniority_level;skills\n"
             "HR-1;Ines;mentor;FR;fr|en;Europe/Paris;1;ai-assistants:4:0\n"
             "HR-2;Otto;mentee;DE;de|en;Europe/Berlin;9;ai-assistants:0:4\n"
             "HR-3;Rui;mentee;BR;pt;America/Sao_Paulo;8;\n"
             "HR-4;Bad;mentee;FR;fr;Europe/Paris;99;\n")


async def test_an_hr_import_publishes_each_enrollment_once_even_when_imported_twice(servers: Servers, settings_kwargs):
    settings = Settings(**settings_kwargs)
    async with serving(create_app(settings)) as http, \
            TopicReader(servers, [topic_for(ParticipantKey), topic_for(ParticipantEnrolled)]) \
            as reader:
        programme = (await http.post("/programmes", json=programme_request())).json()
        url = f"/programmes/{programme['programme_id']}/imports"
        first = (await http.post(url, content=HR_EXPORT.encode(), headers={"content-type": "text/csv"})).json()
        again = (await http.post(url, content=HR_EXPORT.encode(), headers={"content-type": "text/csv"})).json()
        assert (first["enrolled"], first["rejected"][0]["row"], first["rejected"][0]["field"]) == (
            3, 5, "seniority_level")
        assert (again["enrolled"], again["unchanged"]) == (0, 3)

        of_programme = field_is("programme_id", programme["programme_id"])
        await reader.wait_for(of_programme, count=6)
        await reader.settle()
        mine = [r for r in reader.records if of_programme(r)]
        keys = {k.participant_id: k.data_key for k in (ParticipantKey.model_validate_json(r.value) for r in mine
                                                       if r.topic == topic_for(ParticipantKey))}
        events = [ParticipantEnrolled.model_validate_json(r.value) for r in mine
                  if r.topic == topic_for(ParticipantEnrolled)]

    assert len(events) == 3 and len({e.event_id for e in events}) == 3 and len(keys) == 3
    assert {unseal(e.profile, keys[e.participant_id], e.participant_id, ParticipantProfile).country
            for e in events} == {"FR", "DE", "BR"}
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    assert await db.participants.count_documents({"programme_id": programme["programme_id"]}) == 3
    assert await eventually(lambda: _no_pending_batch(db))


async def _no_pending_batch(db) -> bool:
    return await _nothing_waits(db, "enrollment_batches")


async def _nothing_waits(db, collection: str) -> bool:
    """No outbox marker: every write's events have left (published entries may stay in the document
    until its next write, shared/mongo/outbox_markers.py)."""
    return await db.outbox_markers.count_documents({"collection": collection}) == 0


async def test_participants_are_listed_page_by_page_with_a_cursor_and_counted_by_the_programme_index(
        servers: Servers, settings_kwargs):
    async with serving(create_app(Settings(**settings_kwargs))) as http:
        pid = (await http.post("/programmes", json=programme_request())).json()["programme_id"]
        other = (await http.post("/programmes", json=programme_request())).json()["programme_id"]
        created = []
        for n in range(7):
            role, country = ("mentor", "FR") if n % 2 else ("mentee", "DE")
            tz = "Europe/Paris" if country == "FR" else "Europe/Berlin"
            body = participant_request(f"E-{n}", role, country=country, time_zone=tz)
            created.append(await http.post(f"/programmes/{pid}/participants", json=body))
        assert {r.status_code for r in created} == {201}
        await http.post(f"/programmes/{other}/participants", json=participant_request("E-0", "mentor"))
        url = f"/programmes/{pid}/participants"
        withdrawn = created[0].json()["participant_id"]  # a mentee
        assert (await http.post(f"{url}/{withdrawn}/withdrawal", json={})).status_code == 200

        seen, after = [], None
        while True:
            page = (await http.get(url, params={"limit": 3, **({"after": after} if after else {})})).json()
            seen += [p["participant_id"] for p in page["items"]]
            if not (after := page["next_after"]):
                break
        assert len(seen) == 7 and seen == sorted(seen), "every participant once, in id order"
        mentees = (await http.get(url, params={"role": "mentee", "status": "enrolled"})).json()
        assert mentees["total"] == 3 and all(p["role"] == "mentee" for p in mentees["items"])
        stats = (await http.get(f"/programmes/{pid}/statistics")).json()
        assert (stats["total"], stats["by_role"], stats["by_status"]) == (
            7, {"mentee": 4, "mentor": 3}, {"enrolled": 6, "withdrawn": 1})
