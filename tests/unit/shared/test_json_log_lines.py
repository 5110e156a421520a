"""The services' log lines (shared/observability/logging.py): built in one pass, the same keys, order and
values as python-json-logger's generic path gave."""

import json
import logging
import sys
import uuid
from datetime import UTC, datetime

import pytest
from pythonjsonlogger.json import JsonFormatter

from shared.observability.logging import json_formatter


def generic() -> JsonFormatter:
    return JsonFormatter("{asctime}{levelname}{name}{message}{service}{correlation_id}", style="{",
                         rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"})


def record(msg: object, *args: object, exc: bool = False, stack: str | None = None,
           **extra: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            raise ValueError("boom")
        except ValueError:
            exc_info = sys.exc_info()
    made = logging.LogRecord("shared.messaging.record_delivery", logging.INFO, __file__, 1, msg, args, exc_info,
                             sinfo=stack)
    made.__dict__.update(service="feedback", correlation_id=str(uuid.uuid4()), **extra)
    return made


@pytest.mark.parametrize("made", [
    record("processed %s %s from %s", "SessionScheduled", uuid.uuid4(), "t[0]@1"),
    record("Processed", topic="t", group_id="feedback", message_id="1-2-3", color_message="\u001b[1m%s"),
    record("odd extras", when=datetime(2026, 12, 1, tzinfo=UTC), who=uuid.uuid4(), _private=1, suppressed=3),
    record("failed %r", "x", exc=True),
    record("here", stack="Stack (most recent call last):\n  File x"),
    record({"a dict": 1, "exc_info": "kept"}),
])
def test_a_line_holds_what_the_generic_formatter_wrote(made: logging.LogRecord):
    ours = json_formatter().format(made)
    made.exc_text = None  # logging caches the formatted traceback on the record
    theirs = generic().format(made)

    assert list(json.loads(ours).items()) == list(json.loads(theirs).items())
    assert ours == theirs


def test_lines_of_the_same_second_and_of_the_next_keep_their_own_time():
    ours, theirs = json_formatter(), generic()
    for created in (1_796_113_242.001, 1_796_113_242.999, 1_796_113_243.0, 1_796_113_242.5):
        made = record("processed")
        made.created, made.msecs = created, int((created - int(created)) * 1000)
        assert json.loads(ours.format(made))["ts"] == json.loads(theirs.format(made))["ts"]
