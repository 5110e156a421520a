"""Choosing dead letters, replaying them to their source topic, archiving them; each action recorded."""

from dataclasses import dataclass
from datetime import datetime

from tools.dlq.actions import Action, action_for, history, latest_by_ref, record
from tools.dlq.topics import DeadLetter, Kafka


@dataclass(frozen=True)
class Selection:
    offsets: tuple[tuple[int, int], ...] = ()  # (partition, offset)
    since: datetime | None = None
    everything: bool = False
    again: bool = False  # include letters already replayed or archived

    def picks(self, letter: DeadLetter, handled: dict[str, Action]) -> bool:
        if letter.ref in handled and not self.again:
            return False
        if self.everything:
            return True
        if self.since is not None and letter.dead_lettered_at >= self.since:
            return True
        return (letter.partition, letter.offset) in self.offsets


async def letters_with_status(kafka: Kafka, topic: str) -> tuple[list[DeadLetter], dict[str, Action]]:
    return await kafka.read_all(topic), latest_by_ref(await history(kafka))


async def replay(kafka: Kafka, topic: str, selection: Selection, note: str) -> list[Action]:
    """Republishes the original key, bytes and headers (without the x-dlq-* ones) to the source
    topic. Consumers skip an event they already processed (inbox), so a replay is safe to repeat."""
    letters, handled = await letters_with_status(kafka, topic)
    chosen = [d for d in letters if selection.picks(d, handled)]
    unknown = [d.ref for d in chosen if not d.source_topic]
    if unknown:
        raise ValueError(f"no x-dlq-source-topic header, cannot replay: {', '.join(unknown)}")
    async with kafka.producer() as producer:
        for d in chosen:
            headers = [(k, v.encode()) for k, v in d.headers.items() if not k.startswith("x-dlq-")]
            headers.append(("x-dlq-replayed-from", d.ref.encode()))
            await producer.send_and_wait(d.source_topic, d.value, key=d.key, headers=headers)
    actions = [action_for(d, "replayed", note) for d in chosen]
    await record(kafka, actions)
    return actions


async def archive(kafka: Kafka, topic: str, selection: Selection, note: str) -> list[Action]:
    """Marks letters as dealt with without replaying them; the record keeps their bytes."""
    letters, handled = await letters_with_status(kafka, topic)
    actions = [action_for(d, "archived", note) for d in letters if selection.picks(d, handled)]
    await record(kafka, actions)
    return actions
