"""Tells an infrastructure failure (store or broker unreachable, a timeout) from a bad message.

An infrastructure failure says nothing about the message: it must be retried once the dependency is
back, never dead-lettered and never committed past. Anything else is the message's (or the
handler's) problem and, if it keeps failing, the message goes to the dead-letter topic.
"""

from collections.abc import Iterator

from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError

# Server error codes that mean "the server is going away or busy", not "your request is wrong"
# (pymongo retries writes on the same set: HostUnreachable, NetworkTimeout, ShutdownInProgress…).
_TRANSIENT_CODES = frozenset({6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436})
_TRANSIENT_LABELS = ("RetryableWriteError", "TransientTransactionError", "NetworkError")


def transient_dependency(exc: BaseException) -> str | None:
    """`"mongodb"`, `"kafka"` or `"network"` when `exc` (or what caused it) is an outage, else None."""
    for error in _chain(exc):
        if isinstance(error, PyMongoError) and _mongo_outage(error):
            return "mongodb"
        if isinstance(error, KafkaConnectionError | KafkaTimeoutError) or (
            isinstance(error, KafkaError) and error.retriable
        ):
            return "kafka"
        if isinstance(error, TimeoutError | ConnectionError):
            return "network"
    return None


def _mongo_outage(error: PyMongoError) -> bool:
    if isinstance(error, ConnectionFailure) or error.timeout:
        return True
    if any(error.has_error_label(label) for label in _TRANSIENT_LABELS):
        return True
    return isinstance(error, OperationFailure) and error.code in _TRANSIENT_CODES


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
