"""A programme's members of one kind (participants, pairs, invitations…) listed without a query.

FerretDB v1 scans, and decodes in Go, every document of a collection for any filter but `{_id}`, so
"the participants of programme P" cost O(everything stored) (52 s for a 51-person programme among
2,700). Instead each programme keeps `PAGES` index documents (`_id` "<programme>:<page>"), each
mapping item id -> a short summary (the fields lists filter on); an item's page is the first hex
digit of its id, so the pages in order list the ids in order. Beside each page, a small counts
document (`_id` "<programme>:<page>:n") counts the items per value of the `counted` fields.
- a count or a statistic reads the 16 small counts documents;
- a write reads the pages it touches (concurrently) and writes them and their counts in one bulk write;
- a page of a list reads index pages in id order until it has `offset + limit` ids, then those items
  by `_id`: the first page of an unfiltered list reads one index page.
Nothing depends on what other programmes store.

Writers put the entry before writing the item, so an item is never missing from its index; an entry
whose item write failed is skipped by lists (it may count once until the item is written again).
A page and its counts change together under the page's lock: FerretDB applies an update by reading
and rewriting the document, so two concurrent writes of one page would lose one entry.
"""

import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from shared.concurrently import all_settled
from shared.mongo.by_id import fetch_by_id
from shared.mongo.document_locks import document_key, locked
from shared.mongo.index_counts import note_written

PAGES = 16
Summary = Mapping[str, Any]


def page_of(item_id: str) -> int:
    digit = item_id[:1].lower()
    return int(digit, 16) if digit and digit in "0123456789abcdef" else zlib.crc32(item_id.encode()) % PAGES


class ProgrammeIndex:
    def __init__(self, db: AsyncDatabase, name: str, counted: tuple[str, ...] = ()) -> None:
        self.pages, self.counted = db[f"{name}_by_programme"], counted

    def _key(self, summary: Summary) -> str:
        return "|".join(str(summary.get(f, "-")).replace(".", "_").replace("$", "_") for f in self.counted)

    async def put(self, programme_id: Any, summaries: Mapping[str, Summary]) -> None:
        """Adds or replaces entries (item id -> summary): the pages touched are read concurrently, then
        written with their counts in ONE ordered bulk write (each page before its counts, as one at a
        time did), all under the pages' locks: two round trips whatever the number of pages."""
        by_page: dict[int, dict[str, Summary]] = {}
        for item_id, summary in summaries.items():
            by_page.setdefault(page_of(item_id), {})[item_id] = dict(summary)
        if not by_page:
            return
        ids = [f"{programme_id}:{page}" for page in by_page]
        async with locked([document_key(self.pages, page_id) for page_id in ids]):
            pages = [p or {} for p in await all_settled(self.pages.find_one({"_id": page_id}) for page_id in ids)]
            marks = await all_settled(self._write_keys(page_id, page, entries, [])
                                      for page_id, entries, page in zip(ids, by_page.values(), pages, strict=True))
            writes = []
            for page_id, entries, page, mark in zip(ids, by_page.values(), pages, marks, strict=True):
                writes += self._changes(programme_id, page_id, page.get("items") or {}, entries, [], mark)
            await self.pages.bulk_write([UpdateOne(*w, upsert=True) for w in writes], ordered=True)
            if len(writes) > len(ids):
                note_written(self.pages, programme_id)

    async def remove(self, programme_id: Any, item_ids: Iterable[str]) -> None:
        by_page: dict[int, list[str]] = {}
        for item_id in item_ids:
            by_page.setdefault(page_of(item_id), []).append(item_id)
        for page, ids in by_page.items():
            await self._write(programme_id, page, {}, ids)

    async def _write(self, programme_id: Any, page: int, entries: Mapping[str, Summary], removed: list[str]) -> None:
        page_id = f"{programme_id}:{page}"
        async with locked([document_key(self.pages, page_id)]):
            page = (await self.pages.find_one({"_id": page_id})) or {}
            marks = await self._write_keys(page_id, page, entries, removed)
            writes = self._changes(programme_id, page_id, page.get("items") or {}, entries, removed, marks)
            for write in writes:
                await self.pages.update_one(*write, upsert=True)
            if len(writes) > 1:
                note_written(self.pages, programme_id)

    def _changes(self, programme_id: Any, page_id: str, before: Mapping[str, Summary], entries: Mapping[str, Summary],
                 removed: list[str], marks: Mapping[str, Any]) -> list[tuple[dict, dict]]:
        """(filter, update) of the page, then of its counts when they change; `marks` set on both."""
        delta: Counter[str] = Counter()
        for item_id in [*entries, *removed]:
            if item_id in before:
                delta[self._key(before[item_id])] -= 1
        for summary in entries.values():
            delta[self._key(summary)] += 1
        update: dict[str, Any] = {"$setOnInsert": {"programme_id": str(programme_id)}}
        if entries:
            update["$set"] = {f"items.{i}": dict(s) for i, s in entries.items()}
        if removed:
            update["$unset"] = {f"items.{i}": "" for i in removed}
        if marks:
            update.setdefault("$set", {}).update(marks)
        writes = [({"_id": page_id}, update)]
        if self.counted and (any(delta.values()) or marks):
            counts: dict[str, Any] = {"$set": dict(marks)} if marks else {}
            if any(delta.values()):
                counts["$inc"] = {f"counts.{k}": n for k, n in delta.items() if n}
            writes.append(({"_id": f"{page_id}:n"}, counts))
        return writes

    async def _write_keys(self, page_id: str, page: Mapping[str, Any], entries: Mapping[str, Summary],
                          removed: list[str]) -> dict[str, Any]:
        """What a subclass keeps beside a page (shared/mongo/keyed_index.py); fields to mark the page with."""
        return {}

    async def _read(self, ids: list[str]) -> list[dict]:
        return await fetch_by_id(self.pages, ids)

    async def entries(self, programme_id: Any) -> dict[str, dict[str, Any]]:
        """Every entry of the programme: item id -> summary."""
        found: dict[str, dict[str, Any]] = {}
        for doc in await self._read([f"{programme_id}:{p}" for p in range(PAGES)]):
            found.update(doc.get("items") or {})
        return found

    async def counts(self, programme_id: Any) -> Counter[tuple[str, ...]]:
        """How many items per combination of the counted fields' values."""
        total: Counter[tuple[str, ...]] = Counter()
        for doc in await self._read([f"{programme_id}:{p}:n" for p in range(PAGES)]):
            for key, n in (doc.get("counts") or {}).items():
                if n:
                    total[tuple(key.split("|"))] += n
        return total

    async def count(self, programme_id: Any, **where: Any) -> int:
        wanted = {self.counted.index(k): str(v) for k, v in where.items() if v is not None}
        return sum(n for key, n in (await self.counts(programme_id)).items()
                   if all(key[i] == v for i, v in wanted.items()))

    async def ids(self, programme_id: Any, offset: int, limit: int, after: str | None = None,
                  **where: Any) -> list[str]:
        """Ids in order (after `after`), skipping `offset`, up to `limit`: reads pages only as far as needed."""
        wanted = {k: v for k, v in where.items() if v is not None}
        found: list[str] = []
        for page in range(page_of(after) if after else 0, PAGES):  # one by one: most lists stop early
            doc = await self.pages.find_one({"_id": f"{programme_id}:{page}"}) or {}
            found += sorted(i for i, s in (doc.get("items") or {}).items()
                            if (after is None or i > after) and all(s.get(k) == v for k, v in wanted.items()))
            if len(found) >= offset + limit:
                break
        return found[offset:offset + limit]

    @staticmethod
    def matching(entries: Mapping[str, Summary], **where: Any) -> list[str]:
        """The ids whose summary has every given field value (None: any), in id order."""
        wanted = {k: v for k, v in where.items() if v is not None}
        return sorted(i for i, s in entries.items() if all(s.get(k) == v for k, v in wanted.items()))


def index_serves(scope: Any, programme_id: Any) -> bool:
    """The index lists a whole programme: it serves a caller who may see all of it (else the caller's
    scope is applied by a query, as before)."""
    return scope.countries is None and scope.participants is None and (
        scope.programmes is None or programme_id in scope.programmes)
