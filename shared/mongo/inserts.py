"""Inserting documents that may already be there (a replay, a crash between two writes, a race)."""

from collections.abc import Sequence
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

DUPLICATE_KEY = 11000


async def insert_absent(collection: AsyncCollection, documents: Sequence[dict[str, Any]]) -> set[Any]:
    """Inserts each document whose `_id` is not stored yet, in one unordered round trip; returns the
    ids that were already there (those documents are left untouched). Any other write error raises."""
    if not documents:
        return set()
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        return {documents[e["index"]]["_id"] for e in errors}
    return set()
