"""Dead-letter redrive CLI: list, show, replay, archive, history (docs/runbooks/dead-letters.md).

    python -m tools.dlq list
    python -m tools.dlq show dlq.feedback.scheduling.session-completed.v1
    python -m tools.dlq replay TOPIC --offset 0:12 --offset 2:3 | --since 2026-11-30T08:00:00Z | --all
    python -m tools.dlq archive TOPIC --rest --note "test data from the staging import"
    python -m tools.dlq history

Connects as the `dlq-operator` principal (KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD, and the services'
other KAFKA_* security variables): it may read every dead-letter topic, write only their source topics
and read and write ops.dlq-actions (tools/kafka_access.py).
"""

import asyncio
import os
from datetime import UTC, datetime

import typer

from tools.dlq.actions import history, latest_by_ref
from tools.dlq.redrive import Selection, archive, letters_with_status, replay
from tools.dlq.topics import DLQ_PREFIX, Kafka

cli = typer.Typer(help="Inspect and redrive Binôme's dead-letter topics (dlq.<consumer>.<topic>).",
                  no_args_is_help=True, pretty_exceptions_enable=False)
Bootstrap = typer.Option(os.getenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"), "--bootstrap",
                         help="Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS)")


def _offsets(values: list[str]) -> tuple[tuple[int, int], ...]:
    try:
        return tuple((int(p), int(o)) for p, o in (v.split(":") for v in values))
    except ValueError:
        raise typer.BadParameter("--offset takes PARTITION:OFFSET, e.g. 0:12") from None


@cli.command("list")
def list_topics(bootstrap: str = Bootstrap) -> None:
    """Dead-letter topics with their message counts and how many are not yet replayed or archived."""
    async def run() -> None:
        kafka = Kafka.as_operator(bootstrap)
        handled = latest_by_ref(await history(kafka))  # once: there is a dead-letter topic per consumed topic
        for topic in await kafka.topics(DLQ_PREFIX):
            letters = await kafka.read_all(topic)
            pending = sum(d.ref not in handled for d in letters)
            typer.echo(f"{topic}\t{len(letters)} messages\t{pending} pending")
    asyncio.run(run())


@cli.command()
def show(topic: str, bootstrap: str = Bootstrap, everything: bool = typer.Option(False, "--all",
         help="also the letters already replayed or archived")) -> None:
    """Each dead letter: where it came from, why it failed, and what was done with it."""
    async def run() -> None:
        letters, handled = await letters_with_status(Kafka.as_operator(bootstrap), topic)
        for d in letters:
            done = handled.get(d.ref)
            if done and not everything:
                continue
            event = d.event()
            status = f"{done.action} by {done.operator} at {done.at}" if done else "pending"
            typer.echo(f"{d.partition}:{d.offset}  {d.dead_lettered_at.isoformat()}  [{status}]\n"
                       f"  from {d.source_topic} {d.headers.get('x-dlq-source-partition', '?')}:"
                       f"{d.headers.get('x-dlq-source-offset', '?')} after {d.headers.get('x-dlq-attempts', '?')}"
                       f" attempts\n  reason: {d.reason}\n"
                       f"  event: {event.get('event_type', '(not an event)')} {event.get('event_id', '')}"
                       f" key={d.key.decode(errors='replace') if d.key else ''}")
    asyncio.run(run())


@cli.command("replay")
def replay_cmd(topic: str, offset: list[str] = typer.Option([], help="PARTITION:OFFSET, repeatable"),
               since: datetime | None = typer.Option(None, help="every letter dead-lettered since (ISO 8601, UTC)"),
               everything: bool = typer.Option(False, "--all", help="every pending letter"),
               again: bool = typer.Option(False, help="also letters already replayed or archived"),
               note: str = typer.Option("", help="why (recorded)"), bootstrap: str = Bootstrap) -> None:
    """Republish chosen letters to their source topic, once their cause is fixed."""
    selection = Selection(_offsets(offset), _utc(since), everything, again)
    if not (selection.offsets or since or everything):
        raise typer.BadParameter("choose letters with --offset, --since or --all")
    actions = asyncio.run(replay(Kafka.as_operator(bootstrap), topic, selection, note))
    for a in actions:
        typer.echo(f"replayed {a.ref} -> {a.source_topic} ({a.event_type or 'not an event'} {a.event_id})")
    typer.echo(f"{len(actions)} replayed")


@cli.command("archive")
def archive_cmd(topic: str, offset: list[str] = typer.Option([], help="PARTITION:OFFSET, repeatable"),
                rest: bool = typer.Option(False, "--rest", help="every letter not yet replayed or archived"),
                note: str = typer.Option(..., help="why they are not replayed (recorded)"),
                bootstrap: str = Bootstrap) -> None:
    """Mark letters as dealt with without replaying them (their bytes stay in the action record)."""
    if not (offset or rest):
        raise typer.BadParameter("choose letters with --offset or --rest")
    selection = Selection(_offsets(offset), everything=rest)
    actions = asyncio.run(archive(Kafka.as_operator(bootstrap), topic, selection, note))
    typer.echo(f"{len(actions)} archived")


@cli.command("history")
def history_cmd(bootstrap: str = Bootstrap) -> None:
    """Every recorded action, oldest first."""
    for a in asyncio.run(history(Kafka.as_operator(bootstrap))):
        typer.echo(f"{a.at}  {a.operator}  {a.action} {a.ref} -> {a.source_topic}  {a.event_id}  {a.note}")


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


if __name__ == "__main__":
    cli()
