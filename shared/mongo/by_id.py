"""Documents read by their ids, one exact `{_id}` read each, concurrently.

FerretDB v1 serves only an exact `{_id: <string>}` filter from its index and answers `$in` by
comparing every stored document with every listed id, so a few ids are cheaper read one by one.
"""

import asyncio
from collections.abc import Mapping
from typing import Any

READ_CONCURRENCY = 16


async def fetch_by_id(collection: Any, ids: list[str], projection: Mapping[str, Any] | None = None) -> list[dict]:
    """The documents with these ids, in this order (missing ones left out), each read by `_id`."""
    slots = asyncio.Semaphore(READ_CONCURRENCY)

    async def one(item_id: str) -> dict | None:
        async with slots:
            return await collection.find_one({"_id": item_id}, projection)

    return [d for d in await asyncio.gather(*(one(i) for i in ids)) if d is not None]
