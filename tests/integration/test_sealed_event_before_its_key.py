"""On the real broker: matching reads an enrollment before the data key that opens it (the key topic
is behind). The event is put back, not dead-lettered, while its partition is paused and the key topic
flows; once the key is published it is applied. An erased person's enrollment is dropped and counted."""

from pymongo import AsyncMongoClient

import matching.config
import matching.entrypoints.app
from shared.contracts import ParticipantEnrolled, ParticipantKey, dlq_topic, topic_for
from tests import factories
from tests.integration.conftest import serving
from tests.kafka_probe import TopicReader, eventually, publish_raw
from tests.prometheus_text import counter
from tools.servers import Servers

ENROLLED = topic_for(ParticipantEnrolled)


async def publish(servers: Servers, event) -> None:
    await publish_raw(servers, topic_for(event), event.partition_key.encode(), event.model_dump_json().encode())


async def test_an_enrollment_waits_for_its_key_and_an_erased_persons_is_dropped(servers: Servers, settings_kwargs):
    settings = matching.config.Settings(**settings_kwargs)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    programme = factories.programme_launched()
    early = factories.participant_enrolled(programme.programme_id, "mentee")
    erased = factories.participant_enrolled(programme.programme_id, "mentor")
    destroyed = ParticipantKey(participant_id=erased.participant_id, programme_id=programme.programme_id,
                               data_key=None)

    async with serving(matching.entrypoints.app.create_app(settings)) as http, \
            TopicReader(servers, [dlq_topic("matching", ENROLLED)]) as dead:
        for event in (programme, destroyed, erased, early):  # no key yet for `early`
            await publish(servers, event)

        async def put_back_and_dropped() -> bool:
            metrics = (await http.get("/metrics")).text
            return (counter(metrics, "binome_consumer_deferred_total", topic=ENROLLED) >= 1
                    and counter(metrics, "binome_events_dropped_total", topic=ENROLLED,
                                reason="participant_erased") == 1)

        assert await eventually(put_back_and_dropped, timeout=120), "not put back while its key is missing"
        assert await db["candidates"].find_one({"_id": str(early.participant_id)}) is None

        await publish(servers, factories.participant_key(early.participant_id, programme.programme_id))
        assert await eventually(lambda: db["candidates"].find_one({"_id": str(early.participant_id)}), timeout=120)
        assert await db["candidates"].find_one({"_id": str(erased.participant_id)}) is None
        await dead.settle()
        ours = {e.partition_key.encode() for e in (early, erased)}  # the topic is shared with other tests
        assert [r for r in dead.records if r.key in ours] == [], "nothing healthy was dead-lettered"
