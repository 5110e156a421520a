"""The key topic's roll comes at least one segment period after the latest destroyed marker: a roll
appended sooner (one already due) would land in the marker's own segment and close nothing, so the
old key record would never be compacted away."""

import time

from enrollment.adapters.key_topic import KeyTopicRoller
from shared.messaging.kafka_security import KafkaCredentials

MARKER = {"topic": "enrollment.participant-key.v1", "value": '{"participant_id":"p","data_key":null}'}
KEY = {"topic": "enrollment.participant-key.v1", "value": '{"participant_id":"p","data_key":"c2VjcmV0"}'}


async def test_a_marker_pushes_a_roll_already_due_to_a_full_period_after_it():
    published = []

    async def publish(entry: dict[str, str]) -> None:
        published.append(entry)

    roller = KeyTopicRoller("127.0.0.1:1", KafkaCredentials("PLAINTEXT", "SCRAM-SHA-512", "enrollment", ""))
    watched = roller.watching(publish)
    roller._due = time.monotonic() + 1  # a roll already due soon (after a start, or an earlier marker)

    await watched(KEY)
    assert roller._due <= time.monotonic() + 1, "a key record moves nothing"
    await watched(MARKER)
    assert roller._due >= time.monotonic() + roller.period_s - 1, "a full segment period after the marker"
    assert published == [KEY, MARKER]
