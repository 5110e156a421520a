"""Erasure wins every race, on the real broker and store: whatever order events arrive in, once a
service has seen ParticipantErased it creates nothing for that person again."""

import uuid
from datetime import UTC, datetime

from pymongo import AsyncMongoClient

import feedback.config
import feedback.entrypoints.app
import matching.config
import matching.entrypoints.app
import scheduling.config
import scheduling.entrypoints.app
from shared.contracts import IntegrationEvent, ParticipantErased, topic_for
from shared.messaging.inbox import Inbox
from shared.mongo.tombstones import digest
from tests import factories
from tests.integration.conftest import serving
from tests.kafka_probe import TopicReader, eventually, publish_raw
from tools.servers import Servers


async def publish(bootstrap: Servers, *events: IntegrationEvent) -> None:
    for e in factories.with_keys(*events):
        await publish_raw(bootstrap, topic_for(e), e.partition_key.encode(), e.model_dump_json().encode())


async def _until_tombstone(db, participant_id: uuid.UUID) -> bool:
    async def done():
        return await db.erasures.find_one({"_id": digest(participant_id), "done": True}) is not None
    return await eventually(done, timeout=60)


async def _until_processed(db, *events: IntegrationEvent) -> bool:
    async def done():  # the inbox (weekly collections since issue 14) has recorded every one
        inbox = Inbox(db)
        return all([await inbox.seen(e.event_id) for e in events])
    return await eventually(done, timeout=60)


async def test_an_enrollment_arriving_after_the_erasure_creates_no_candidate_and_no_pair(servers: Servers,
                                                                                         settings_kwargs):
    settings = matching.config.Settings(**settings_kwargs)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    bootstrap = servers
    launched = factories.programme_launched()
    pid = launched.programme_id
    erased_mentor = factories.participant_enrolled(pid, "mentor")
    mentee, sentinel = factories.participant_enrolled(pid, "mentee"), factories.participant_enrolled(pid, "mentor")
    erasure = ParticipantErased(participant_id=erased_mentor.participant_id, programme_id=pid)
    created = topic_for(factories.pair_created(pid))
    async with serving(matching.entrypoints.app.create_app(settings)), TopicReader(bootstrap, [created]) as reader:
        await publish(bootstrap, launched, erasure)
        assert await _until_tombstone(db, erased_mentor.participant_id)
        await publish(bootstrap, erased_mentor, mentee)
        assert await _until_processed(db, erased_mentor, mentee)
        assert await db.candidates.find_one({"_id": str(erased_mentor.participant_id)}) is None
        await publish(bootstrap, sentinel)
        pairs = await reader.wait_for(lambda r: r.json().get("programme_id") == str(pid))
        assert [p.json()["mentor"]["participant_id"] for p in pairs] == [str(sentinel.participant_id)]
        await reader.settle()
        assert not [r for r in reader.records if str(erased_mentor.participant_id) in r.value.decode()]


async def test_a_withdrawal_after_the_erasure_leaves_no_trace_of_the_id(servers: Servers, settings_kwargs):
    settings = matching.config.Settings(**settings_kwargs)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    bootstrap = servers
    launched = factories.programme_launched()
    person = factories.participant_enrolled(launched.programme_id, "mentee")
    erasure = ParticipantErased(participant_id=person.participant_id, programme_id=launched.programme_id)
    withdrawal = factories.participant_withdrawn(launched.programme_id, person.participant_id)
    async with serving(matching.entrypoints.app.create_app(settings)):
        await publish(bootstrap, launched, person, erasure)
        assert await _until_tombstone(db, person.participant_id)
        await publish(bootstrap, withdrawal)
        assert await _until_processed(db, withdrawal)
        leftovers = [d async for d in db.candidates.find({"programme_id": str(launched.programme_id)})]
        assert all(str(person.participant_id) not in repr(d) for d in leftovers)


async def test_a_pair_created_after_a_member_was_erased_is_never_planned(servers: Servers, settings_kwargs):
    settings = scheduling.config.Settings(**settings_kwargs)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    bootstrap = servers
    launched = factories.programme_launched()
    pid = launched.programme_id
    late, sentinel = factories.pair_created(pid), factories.pair_created(pid)
    erasure = ParticipantErased(participant_id=late.mentee.participant_id, programme_id=pid)
    scheduled = "scheduling.session-scheduled.v1"
    async with serving(scheduling.entrypoints.app.create_app(settings)), \
            TopicReader(bootstrap, [scheduled]) as reader:
        await publish(bootstrap, launched, erasure)
        assert await _until_tombstone(db, late.mentee.participant_id)
        await publish(bootstrap, late, sentinel)
        assert await _until_processed(db, late, sentinel)
        assert await db.pairs.find_one({"_id": str(late.pair_id)}) is None
        planned = await reader.wait_for(lambda r: r.json().get("pair_id") == str(sentinel.pair_id))
        assert planned, "the sentinel pair was planned, so the late one was not merely slow"
        assert not [r for r in reader.records if r.json().get("pair_id") == str(late.pair_id)]


async def test_a_session_completed_after_a_member_was_erased_records_and_invites_no_one(servers: Servers,
                                                                                   settings_kwargs):
    settings = feedback.config.Settings(**settings_kwargs)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    bootstrap = servers
    pid = uuid.uuid4()
    mentee = factories.participant_enrolled(pid, "mentee")
    completed = factories.session_completed(programme_id=pid, mentee_id=mentee.participant_id,
                                            completed_at=datetime.now(UTC))
    erasure = ParticipantErased(participant_id=mentee.participant_id, programme_id=pid)
    async with serving(feedback.entrypoints.app.create_app(settings)):
        await publish(bootstrap, erasure)
        assert await _until_tombstone(db, mentee.participant_id)
        await publish(bootstrap, mentee, completed)
        assert await _until_processed(db, mentee, completed)
        assert await db.participants.find_one({"_id": str(mentee.participant_id)}) is None
        assert await db.completed_sessions.find_one({"_id": str(completed.session_id)}) is None
        assert await db.invitations.count_documents({"programme_id": str(pid)}) == 0
