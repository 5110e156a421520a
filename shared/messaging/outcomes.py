"""What a handler may say instead of applying an event, other than failing.

Neither is a fault of the message, so neither is retried or dead-lettered:
- `Deferred`: it needs something that travels on another topic and has not arrived yet (Kafka keeps
  no order between topics). The consumer parks the event (shared/messaging/parking.py), commits its
  offset so the partition flows, and applies it once `release(awaiting)` is called or a sweep finds
  it can.
- `Dropped`: it must not be applied, ever (its person was erased). Logged, counted, recorded as
  processed, committed.
"""


class Deferred(Exception):
    def __init__(self, awaiting: str, reason: str) -> None:
        super().__init__(reason)
        self.awaiting, self.reason = awaiting, reason


class Dropped(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason  # a short label for the metric, e.g. "participant_erased"
