"""JSON logs carrying the service name and the correlation id of the flow being handled."""

import logging
import sys
import time
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

from shared.observability.log_limits import RateLimit

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


class JsonLines(JsonFormatter):
    """python-json-logger's lines, built in one pass: its generic path (renames looked up field by field,
    each record attribute checked) cost ~20 of the ~38 µs a line took, and every consumed event logs
    one (a fifth of feedback's CPU in a pipeline run, docs/benchmarks.md "cpu14"). The same keys in the
    same order, the same encoder; a record whose message is a dict takes the generic path."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.msg, dict):
            return super().format(record)
        record.message = record.getMessage()
        record.asctime = self._time(record)
        fields = record.__dict__
        data = {"ts": record.asctime, "level": record.levelname, "logger": record.name, "message": record.message,
                "service": fields.get("service"), "correlation_id": fields.get("correlation_id")}
        if record.exc_info:
            data["exc_info"] = self.formatException(record.exc_info)
        if not data.get("exc_info") and record.exc_text:
            data["exc_info"] = record.exc_text
        if record.stack_info:
            data["stack_info"] = self.formatStack(record.stack_info)
        skip = self._skip_fields
        for key, value in fields.items():  # the extras (FastStream's topic, group_id, ...)
            if key not in skip and not key.startswith("_"):
                data[key] = value
        return self.serialize_log_record(data)

    _second, _stamp = -1, ""

    def _time(self, record: logging.LogRecord) -> str:
        """`formatTime`'s text, the date and time part made once a second (many lines share it)."""
        if self.datefmt:
            return self.formatTime(record, self.datefmt)
        second = int(record.created)
        if second != self._second:
            self._second, self._stamp = second, time.strftime(self.default_time_format, self.converter(second))
        return self.default_msec_format % (self._stamp, record.msecs)


def json_formatter() -> JsonLines:
    return JsonLines("{asctime}{levelname}{name}{message}{service}{correlation_id}", style="{",
                     rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"})


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.correlation_id = correlation_id.get()
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(json_formatter())
    handler.addFilter(_ContextFilter(service))
    handler.addFilter(RateLimit())
    # What a line does not show is not gathered (the logging HOWTO's "Optimization"): the caller's file and
    # line, the thread's, the process's names.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "pymongo", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
