"""Which dead letters a redrive command picks: by offset, since a time, all; handled ones only again."""

import json
from dataclasses import asdict
from datetime import UTC, datetime

from tools.dlq.actions import _action, action_for
from tools.dlq.redrive import Selection
from tools.dlq.topics import DeadLetter

T = "dlq.feedback.scheduling.session-completed.v1"


def letter(partition: int, offset: int, at: str) -> DeadLetter:
    ms = int(datetime.fromisoformat(at).timestamp() * 1000)
    return DeadLetter(T, partition, offset, ms, b"k", b'{"event_id": "e1", "event_type": "SessionCompleted"}',
                      {"x-dlq-reason": "handler failed after 3 attempts: boom",
                       "x-dlq-source-topic": "scheduling.session-completed.v1"})


OLD, NEW = letter(0, 4, "2026-11-30T07:00:00+00:00"), letter(2, 9, "2026-11-30T09:00:00+00:00")


def test_offsets_pick_exactly_those_letters():
    assert [d.ref for d in (OLD, NEW) if Selection(offsets=((2, 9),)).picks(d, {})] == [f"{T}:2:9"]


def test_since_picks_letters_dead_lettered_from_that_moment():
    since = Selection(since=datetime(2026, 11, 30, 8, tzinfo=UTC))
    assert [since.picks(d, {}) for d in (OLD, NEW)] == [False, True]


def test_handled_letters_are_skipped_unless_asked_again():
    handled = {OLD.ref: action_for(OLD, "replayed", "fix deployed")}
    assert not Selection(everything=True).picks(OLD, handled)
    assert Selection(everything=True, again=True).picks(OLD, handled)
    assert Selection(everything=True).picks(NEW, handled)


def test_an_action_records_who_what_and_why_and_archives_keep_the_bytes():
    replayed, archived = action_for(NEW, "replayed", "fix"), action_for(NEW, "archived", "test data")
    assert (replayed.event_id, replayed.event_type, replayed.source_topic) == (
        "e1", "SessionCompleted", "scheduling.session-completed.v1")
    assert replayed.reason.startswith("handler failed") and replayed.operator and replayed.value is None
    assert archived.value == NEW.value.decode() and archived.note == "test data"


def test_a_record_on_the_actions_topic_that_is_not_an_action_is_skipped_not_fatal():
    recorded = action_for(OLD, "replayed", "fix deployed")
    assert _action(json.dumps(asdict(recorded)).encode()) == recorded
    assert [_action(v) for v in (b"{}", b"\x00 not json", b"[1]", b'{"action": "replayed"}')] == [None] * 4
