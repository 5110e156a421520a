"""A programme's members of one kind (participants, pairs, invitations…) listed without a query.

FerretDB v1 scans, and decodes in Go, every document of a collection for any filter but `{_id}`, so
"the participants of programme P" cost O(everything stored) (52 s for a 51-person programme among
2,700). Instead each programme keeps `PAGES` small index documents (`_id` = "<programme>:<page>",
an item lands on the page its id hashes to) mapping item id -> a short summary (the fields lists
filter on). A list or a statistic reads those pages by `_id` (O(programme), whatever else is
stored), then the listed items by `_id`.

Writers put the entry before writing the item, so an item is never missing from its index; an entry
whose item write failed is skipped by `items` (its summary may count once in a statistic until the
item is written again). Each page update is a single-document write addressed by `_id`, under the
page's lock: FerretDB applies `$set` by reading and rewriting the document, so two concurrent writes
of one page would lose one entry.
"""

import asyncio
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.document_locks import document_key, locked

PAGES = 16
READ_CONCURRENCY = 16


def _page(item_id: str) -> int:
    return zlib.crc32(item_id.encode()) % PAGES


class ProgrammeIndex:
    def __init__(self, db: AsyncDatabase, name: str) -> None:
        self.pages = db[f"{name}_by_programme"]

    async def put(self, programme_id: Any, summaries: Mapping[str, Mapping[str, Any]]) -> None:
        """Adds or replaces entries (item id -> summary), one write per page touched."""
        by_page: dict[int, dict[str, Any]] = defaultdict(dict)
        for item_id, summary in summaries.items():
            by_page[_page(item_id)][f"items.{item_id}"] = dict(summary)
        writes = [UpdateOne({"_id": f"{programme_id}:{page}"},
                            {"$set": fields, "$setOnInsert": {"programme_id": str(programme_id)}}, upsert=True)
                  for page, fields in by_page.items()]
        if writes:
            async with locked(document_key(self.pages, f"{programme_id}:{p}") for p in by_page):
                await self.pages.bulk_write(writes, ordered=False)

    async def remove(self, programme_id: Any, item_ids: Iterable[str]) -> None:
        by_page: dict[int, dict[str, str]] = defaultdict(dict)
        for item_id in item_ids:
            by_page[_page(item_id)][f"items.{item_id}"] = ""
        for page, fields in by_page.items():
            async with locked([document_key(self.pages, f"{programme_id}:{page}")]):
                await self.pages.update_one({"_id": f"{programme_id}:{page}"}, {"$unset": fields})

    async def entries(self, programme_id: Any) -> dict[str, dict[str, Any]]:
        """Every entry of the programme: item id -> summary."""
        docs = await asyncio.gather(*(self.pages.find_one({"_id": f"{programme_id}:{p}"}) for p in range(PAGES)))
        found: dict[str, dict[str, Any]] = {}
        for doc in docs:
            if doc:
                found.update(doc.get("items") or {})
        return found

    @staticmethod
    def matching(entries: Mapping[str, Mapping[str, Any]], **where: Any) -> list[str]:
        """The ids whose summary has every given field value (None: any), in id order."""
        wanted = {k: v for k, v in where.items() if v is not None}
        return sorted(i for i, s in entries.items() if all(s.get(k) == v for k, v in wanted.items()))


async def fetch_by_id(collection: Any, ids: list[str], projection: Mapping[str, Any] | None = None) -> list[dict]:
    """The documents with these ids, in this order (missing ones left out), each read by `_id`."""
    slots = asyncio.Semaphore(READ_CONCURRENCY)

    async def one(item_id: str) -> dict | None:
        async with slots:
            return await collection.find_one({"_id": item_id}, projection)

    return [d for d in await asyncio.gather(*(one(i) for i in ids)) if d is not None]
