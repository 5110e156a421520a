"""What counts as an outage (waited out) rather than a bad message, and how outage logging is held back."""

import logging

import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError, RequestTimedOutError
from pymongo.errors import AutoReconnect, DuplicateKeyError, OperationFailure, ServerSelectionTimeoutError

from shared.messaging.failures import transient_dependency
from shared.observability.log_limits import RateLimit


@pytest.mark.parametrize(("error", "dependency"), [
    (ServerSelectionTimeoutError("no server"), "mongodb"),
    (AutoReconnect("connection closed"), "mongodb"),
    (OperationFailure("shutting down", code=91), "mongodb"),
    (KafkaConnectionError("no broker"), "kafka"),
    (RequestTimedOutError(), "kafka"),
    (TimeoutError(), "network"),
    (ConnectionResetError(), "network"),
])
def test_an_unreachable_dependency_is_an_outage(error: Exception, dependency: str):
    assert transient_dependency(error) == dependency


def test_an_outage_wrapped_by_a_handler_is_still_an_outage():
    try:
        try:
            raise AutoReconnect("gone")
        except AutoReconnect as inner:
            raise RuntimeError("could not save the pair") from inner
    except RuntimeError as outer:
        assert transient_dependency(outer) == "mongodb"


@pytest.mark.parametrize("error", [ValueError("bad"), KeyError("x"), DuplicateKeyError("dup", code=11000),
                                   OperationFailure("bad query", code=2), MessageSizeTooLargeError()])
def test_a_bug_or_a_bad_request_is_not_an_outage(error: Exception):
    assert transient_dependency(error) is None


def _record(msg: str, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("aiokafka", level, __file__, 1, msg, ("node-1",), None)


def test_repeated_errors_pass_once_per_window_then_say_how_many_were_held_back():
    now = [0.0]
    limit = RateLimit(window_s=10, clock=lambda: now[0])
    passed = []
    for second in range(0, 25):
        now[0] = float(second)
        for _ in range(100):
            record = _record("Unable connect to %s")
            if limit.filter(record):
                passed.append(record)
    assert len(passed) == 3  # at 0 s, 10 s and 20 s: 3 lines instead of 2,500
    assert "999 similar lines held back" in passed[1].getMessage()


def test_info_lines_and_different_errors_are_never_held_back():
    limit = RateLimit(window_s=10, clock=lambda: 0.0)
    assert all(limit.filter(_record("processed %s", logging.INFO)) for _ in range(50))
    assert limit.filter(_record("first problem %s")) and limit.filter(_record("second problem %s"))
