"""Bulk updates sent in commands of at most `STATEMENTS` statements.

FerretDB v1 (SQLite backend) keeps each update statement's query open until the whole `update`
command returns (handler/msg_update.go defers every statement's iterator close to the end of the
loop), and a statement that matched a document leaves its query unfinished, holding one of the
database's 100 SQLite connections. A command of 100 statements that each match a document, or
fewer beside other commands doing the same, waits for a connection that only its own end would
free: the database stops answering for good (bench.pipeline stalled at 10,000 participants when
scheduling filed a batch of PairCreated: one upsert per member; goroutine dump in docs/benchmarks.md).
Upserts that insert and deletes release theirs at once; pymongo only splits at 100,000 statements.
"""

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

# Leaves most of the 100 connections to other commands on the same database at the same time.
STATEMENTS = 20


async def bulk_update(collection: AsyncCollection, requests: Sequence[Any], *, ordered: bool = True) -> None:
    """`collection.bulk_write(requests, ordered=...)` in commands of `STATEMENTS`, one after the other.
    Ordered: stops at the first failing command, as one command would. Unordered: every command is
    sent, then the first failure is raised."""
    failure: BulkWriteError | None = None
    for start in range(0, len(requests), STATEMENTS):
        try:
            await collection.bulk_write(list(requests[start:start + STATEMENTS]), ordered=ordered)
        except BulkWriteError as exc:
            if ordered:
                raise
            failure = failure or exc
    if failure is not None:
        raise failure
