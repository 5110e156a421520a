"""What a handler may say instead of applying an event, other than failing.

Neither is a fault of the message, so neither is retried in place or dead-lettered at once:
- `Deferred`: it needs something that travels on another topic and has not been read yet (Kafka
  keeps no order between topics): the consumer puts the message back (deferrals.py) and reads it
  again later, so its partition waits while every other partition flows.
- `Dropped`: it must never be applied (its person was erased): logged, counted, recorded as
  processed, committed.
"""


class Deferred(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Dropped(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason  # a short label for the metric, e.g. "participant_erased"
