"""What a process remembers of its outboxes (shared/mongo/outbox_markers.py): a version its relay
published is never handed to the relay again, whichever of the writer's note and the publish came first."""

from shared.mongo.outbox_markers import PendingOutboxes

ENTRIES = [{"event_id": "e", "v": 3}]


def memory() -> PendingOutboxes:
    return PendingOutboxes({"outbox_markers": None})  # the markers' collection is not used here


def test_a_version_noted_then_published_by_a_sweep_is_not_taken_after_the_next_write_drops_it():
    pending = memory()
    pending.note("things", [("a", 3)], ENTRIES)
    pending.published("things", "a", [3])
    pending.forget("things", "a", [3])
    assert not pending.has_noted() and not any(pending.take().values())


def test_a_version_published_then_noted_stays_known_as_published_until_the_relay_has_seen_it():
    pending = memory()
    pending.published("things", "a", [3])
    pending.note("things", [("a", 3)], ENTRIES)
    pending.forget("things", "a", [3])
    assert pending.published_versions("things", "a") == {3}, "the relay's next pass must skip it"
    assert pending.take()["things"]["a"] == {3: ENTRIES}
    pending.published("things", "a", [3])
    pending.forget("things", "a", [3])
    assert pending.published_versions("things", "a") == set()
