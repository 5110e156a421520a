"""Kafka records as they came off the wire: header values stay bytes until we decode them.

FastStream's own parser decodes every header value as UTF-8 before any project code runs, and a
message with one binary header value is then dropped with no dead letter and no offset in the log.
So its parser is given the record without headers, and the original record (raw headers included)
is put back on the message; `decode_headers` is the one place that turns them into text.
"""

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiokafka import ConsumerRecord
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


async def keep_raw_headers(polled: ConsumerRecord | tuple[ConsumerRecord, ...],
                           original: Callable[[Any], Awaitable[Any]]) -> Any:
    """One record, or a polled batch of them (the shared consumer's batch subscriber)."""
    if isinstance(polled, (tuple, list)):  # FastStream's in-memory test broker passes a list
        polled = tuple(polled)
        msg = await original(tuple(dataclasses.replace(record, headers=[]) for record in polled))
        first = polled[0]
    else:
        msg = await original(dataclasses.replace(polled, headers=[]))
        first = polled
    msg.raw_message = polled
    # Text for FastStream's logging and middlewares only (a batch's first record's); delivery checks the raw bytes.
    msg.headers = {key: value.decode("utf-8", "replace") for key, value in _pairs(first)}
    msg.correlation_id = msg.headers.get("correlation_id", msg.correlation_id)
    return msg


def decode_headers(record: ConsumerRecord) -> tuple[dict[str, str], list[str]]:
    """The headers as text, and the names of those whose value is not UTF-8."""
    decoded: dict[str, str] = {}
    undecodable: list[str] = []
    for key, value in _pairs(record):
        try:
            decoded[key] = value.decode("utf-8")
        except UnicodeDecodeError:
            undecodable.append(key)
    return decoded, undecodable


def decode_event(record: ConsumerRecord, event_type: type[M]) -> tuple[M | None, str]:
    """The event, or None and why the record is bad in itself (the dead-letter reason)."""
    _, undecodable = decode_headers(record)
    if undecodable:
        return None, f"undecodable header {', '.join(sorted(undecodable))}: not UTF-8"
    if record.value is None:
        return None, f"undecodable {event_type.__name__}: null value"
    try:
        return event_type.model_validate_json(record.value), ""
    except ValidationError as exc:
        first = exc.errors()[:3]
        summary = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '<body>'}: {e['msg']}" for e in first)
        return None, f"undecodable {event_type.__name__}: {summary}"


def where(record: ConsumerRecord) -> str:
    """`topic[partition]@offset`, the address every delivery log line carries."""
    return f"{record.topic}[{record.partition}]@{record.offset}"


def _pairs(record: ConsumerRecord) -> list[tuple[str, bytes]]:
    return [(str(key), value if isinstance(value, bytes) else str(value or "").encode())
            for key, value in (record.headers or [])]
