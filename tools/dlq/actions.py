"""Every redrive action is recorded, as one JSON record per message on `ops.dlq-actions`: who did
what to which dead letter, when and why. Reading that topic back tells which letters are handled."""

import getpass
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from tools.dlq.topics import DeadLetter, Kafka

ACTIONS_TOPIC = "ops.dlq-actions"


@dataclass(frozen=True)
class Action:
    action: str  # "replayed" | "archived"
    ref: str  # <dlq topic>:<partition>:<offset>
    source_topic: str
    event_id: str
    event_type: str
    reason: str
    operator: str
    note: str
    at: str
    value: str | None = None  # an archived letter keeps its bytes here, beyond the DLQ's retention


def action_for(letter: DeadLetter, action: str, note: str) -> Action:
    event = letter.event()
    return Action(action, letter.ref, letter.source_topic, str(event.get("event_id", "")),
                  str(event.get("event_type", "")), letter.reason, getpass.getuser(), note,
                  datetime.now(UTC).isoformat(),
                  letter.value.decode(errors="replace") if action == "archived" else None)


async def record(kafka: Kafka, actions: list[Action]) -> None:
    async with kafka.producer() as producer:
        for a in actions:
            await producer.send_and_wait(ACTIONS_TOPIC, json.dumps(asdict(a)).encode(), key=a.ref.encode())


async def history(kafka: Kafka) -> list[Action]:
    if ACTIONS_TOPIC not in await kafka.topics(ACTIONS_TOPIC):
        return []
    return [a for r in await kafka.read_all(ACTIONS_TOPIC) if (a := _action(r.value)) is not None]


def _action(value: bytes) -> Action | None:
    """A record some other writer left on the topic is not an action: it must not stop the redrive."""
    try:
        return Action(**json.loads(value))
    except (ValueError, TypeError):
        return None


def latest_by_ref(actions: list[Action]) -> dict[str, Action]:
    return {a.ref: a for a in actions}
