"""A programme's members of one kind (participants, pairs, invitations…) listed without a query.

FerretDB v1 scans, and decodes in Go, every document of a collection for any filter but `{_id}`, so
"the participants of programme P" cost O(everything stored). Instead each programme keeps index pages
(`_id` "<programme>:<page>": item id -> a short summary, the fields lists filter on); an item's page
is the first `digits` hex digits of its id (16 pages, or 256 with `digits=2`), so the pages in order
list the ids in order. Each group of pages of one first digit has a small counts document
(`_id` "<programme>:<digit>:n": items per value of the `counted` fields; with 256 pages, each page's
number of entries too).
- a count or a statistic reads the 16 counts documents; a list, pages in id order as far as needed
  (shared/mongo/index_plan.py), then its items by `_id`. Nothing depends on other programmes;
- a write reads the pages it touches and writes them, then their counts, in one bulk write. FerretDB
  rewrites and re-decodes a whole document per update (CPU ~ its size): with 5,600 pairs a 16th is a
  page of ~25 KB (100+ ms a write under load), a 256th ~1.5 KB (docs/benchmarks.md). An index built
  with `remember=True` skips that read when the caller vouches, by the version of the aggregate that
  commits its writes, that the pages this process last wrote are still the stored ones
  (shared/mongo/index_memory.py): the write is then one round trip.
Writers put the entry before writing the item, so an item is never missing from its index; an entry
whose item write failed is skipped by lists (it may count once until the item is written again).
Pages and their counts change together under their documents' locks: FerretDB applies an update by
reading and rewriting the document, so two concurrent writes of one page would lose one entry.
"""

import asyncio
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
from shared.mongo.index_memory import memory_of
from shared.mongo.index_plan import escaped, listed_after, page_by_page_ids, planned_ids
from shared.mongo.index_writes import counts_writes, page_change
from shared.mongo.updates import bulk_update

PAGES = 16  # counts documents (groups of pages), and the pages of the one-digit layout
Summary = Mapping[str, Any]


def page_of(item_id: str, digits: int = 1) -> int:
    head = item_id[:digits].lower()
    if len(head) == digits and all(c in "0123456789abcdef" for c in head):
        return int(head, 16)
    return zlib.crc32(item_id.encode()) % 16 ** digits


class ProgrammeIndex:
    def __init__(self, db: AsyncDatabase, name: str, counted: tuple[str, ...] = (), digits: int = 1,
                 remember: bool = False) -> None:
        # another layout, another collection: "<programme>:10" is page "a" of one, "0a" of the other
        self.pages = db[f"{name}_by_programme" if digits == 1 else f"{name}_{16 ** digits}_by_programme"]
        self.counted, self.digits, self.shift = counted, digits, 4 * (digits - 1)
        self.memory = memory_of(self.pages) if remember else None

    def _key(self, summary: Summary) -> str:
        return "|".join(escaped(summary.get(f, "-")) for f in self.counted)

    def counts_id(self, programme_id: Any, page: int) -> str:
        return f"{programme_id}:{page >> self.shift}:n"

    async def put(self, programme_id: Any, summaries: Mapping[str, Summary],
                  versions: tuple[Any, Any] | None = None) -> None:
        """Adds or replaces entries (item id -> summary): two round trips whatever the number of pages,
        one when `versions` (the committing aggregate's version before and after its write) lets the
        pages this process last wrote stand for the read (shared/mongo/index_memory.py)."""
        by_page: dict[int, dict[str, Summary]] = {}
        for item_id, summary in summaries.items():
            by_page.setdefault(page_of(item_id, self.digits), {})[item_id] = dict(summary)
        await self._write(programme_id, by_page, {}, versions)

    async def remove(self, programme_id: Any, item_ids: Iterable[str], versions: tuple[Any, Any] | None = None) -> None:
        by_page: dict[int, list[str]] = {}
        for item_id in item_ids:
            by_page.setdefault(page_of(item_id, self.digits), []).append(item_id)
        await self._write(programme_id, {}, by_page, versions)

    async def _write(self, programme_id: Any, added: Mapping[int, Mapping[str, Summary]],
                     removed: Mapping[int, list[str]], versions: tuple[Any, Any] | None = None) -> None:
        """The pages touched read concurrently (those remembered at `versions[0]` are not), then
        written, and after them their counts, in ONE ordered bulk write, all under the documents' locks."""
        pages = sorted({*added, *removed})
        if not pages:
            return
        memory = self.memory
        if memory is not None and versions is None:
            memory.forget(programme_id)  # before the write: a write that vouches meanwhile reads again
        ids, counted = [f"{programme_id}:{p}" for p in pages], bool(self.counted) or self.digits > 1
        counts_ids = sorted({self.counts_id(programme_id, p) for p in pages}) if counted else []
        async with locked([document_key(self.pages, i) for i in [*ids, *counts_ids]]):
            known, complete = memory.at(programme_id, versions[0]) if memory is not None and versions else ({}, False)
            unknown = [] if complete else [i for i in ids if i not in known]
            read = dict(zip(unknown, await all_settled(self.pages.find_one({"_id": i}) for i in unknown), strict=True))
            docs = [known[i] if i in known else (read.get(i) or {}) for i in ids]
            marks = await all_settled(self._write_keys(i, d, added.get(p, {}), removed.get(p, []))
                                      for i, p, d in zip(ids, pages, docs, strict=True))
            writes, changes, after = [], [], {}
            for page_id, page, doc, mark in zip(ids, pages, docs, marks, strict=True):
                gone = removed.get(page, [])
                update, delta = page_change(programme_id, self._key, doc.get("items") or {}, added.get(page, {}),
                                            gone, mark)
                writes.append(UpdateOne({"_id": page_id}, update, upsert=True))
                items = {i: s for i, s in (doc.get("items") or {}).items() if i not in set(gone)}
                items.update(added.get(page, {}))
                after[page_id] = {**doc, **mark, "items": items}
                changes.append((self.counts_id(programme_id, page), page, delta, mark, len(items)))
            writes += counts_writes(changes, self.digits > 1) if counted else []
            try:
                await bulk_update(self.pages, writes, ordered=True)
            except BaseException:
                if memory is not None:
                    memory.forget(programme_id)  # some pages may be written, some not: read them next time
                raise
            if memory is not None and versions is not None:
                memory.keep(programme_id, versions[0], versions[1], after)
            if len(writes) > len(ids):
                note_written(self.pages, programme_id)

    def follow(self, programme_id: Any, since: Any, until: Any) -> None:
        """The committing aggregate moved from `since` to `until` (its pages written, or none)."""
        if self.memory is not None:
            self.memory.follow(programme_id, since, until)

    async def remember_all(self, programme_id: Any, version: Any) -> None:
        """Reads every page of the programme (version 0: none is stored yet) so that writes vouched
        for from `version` on read none (shared/mongo/index_memory.py); the caller's writes of the
        programme's index wait meanwhile (matching: its pool load, under the programme's lock)."""
        if self.memory is None:
            return
        self.memory.forget(programme_id)
        ids = [f"{programme_id}:{p}" for p in range(16 ** self.digits)] if version else []
        pages = {d["_id"]: d for d in await fetch_by_id(self.pages, ids)}
        self.memory.know_all(programme_id, version, pages)

    async def _write_keys(self, page_id: str, page: Mapping[str, Any], entries: Mapping[str, Summary],
                          removed: list[str]) -> dict[str, Any]:
        """What a subclass keeps beside a page (shared/mongo/keyed_index.py); fields to mark the page with."""
        return {}

    async def _read(self, ids: list[str]) -> list[dict]:
        return await fetch_by_id(self.pages, ids)

    async def _counts_docs(self, programme_id: Any) -> list[dict]:
        return await self._read([f"{programme_id}:{g}:n" for g in range(PAGES)])

    async def entries(self, programme_id: Any) -> dict[str, dict[str, Any]]:
        """Every entry of the programme: item id -> summary."""
        if self.digits == 1:
            pages = range(PAGES)
        else:  # only the pages the counts say hold entries
            pages = [int(p) for d in await self._counts_docs(programme_id)
                     for p, n in (d.get("pages") or {}).items() if n > 0]
        found: dict[str, dict[str, Any]] = {}
        for doc in await self._read([f"{programme_id}:{p}" for p in pages]):
            found.update(doc.get("items") or {})
        return found

    async def counts(self, programme_id: Any) -> Counter[tuple[str, ...]]:
        """How many items per combination of the counted fields' values."""
        return _summed(await self._counts_docs(programme_id))

    async def count(self, programme_id: Any, **where: Any) -> int:
        return self._matching_count(await self.counts(programme_id), where)

    def _matching_count(self, counts: Counter[tuple[str, ...]], where: Mapping[str, Any]) -> int:
        wanted = {self.counted.index(k): str(v) for k, v in where.items() if v is not None}
        return sum(n for key, n in counts.items() if all(key[i] == v for i, v in wanted.items()))

    async def listed(self, programme_id: Any, offset: int, limit: int, after: str | None = None,
                     **where: Any) -> tuple[list[str], int]:
        """`ids` and `count` of one list request; with 256 pages from one read of the counts documents."""
        if self.digits == 1:
            ids, total = await asyncio.gather(self.ids(programme_id, offset, limit, after, **where),
                                              self.count(programme_id, **where))
            return ids, total
        docs = await self._counts_docs(programme_id)
        wanted = {k: v for k, v in where.items() if v is not None}
        ids = await planned_ids(self, programme_id, offset, limit, after, wanted, docs)
        return ids, self._matching_count(_summed(docs), where)

    async def ids(self, programme_id: Any, offset: int, limit: int, after: str | None = None,
                  **where: Any) -> list[str]:
        """Ids in order (after `after`), skipping `offset`, up to `limit`: reads pages only as far as needed."""
        wanted = {k: v for k, v in where.items() if v is not None}
        if self.digits > 1:
            return await planned_ids(self, programme_id, offset, limit, after, wanted)
        return await page_by_page_ids(self, programme_id, offset, limit, after, wanted)

    @staticmethod
    def matching(entries: Mapping[str, Summary], **where: Any) -> list[str]:
        """The ids whose summary has every given field value (None: any), in id order."""
        return listed_after(dict(entries), None, {k: v for k, v in where.items() if v is not None})


def _summed(counts_docs: Iterable[Mapping[str, Any]]) -> Counter[tuple[str, ...]]:
    total: Counter[tuple[str, ...]] = Counter()
    for doc in counts_docs:
        for key, n in (doc.get("counts") or {}).items():
            if n:
                total[tuple(key.split("|"))] += n
    return total


def index_serves(scope: Any, programme_id: Any) -> bool:
    """The index lists a whole programme: it serves a caller who may see all of it (else the caller's
    scope is applied by a query, as before)."""
    return scope.countries is None and scope.participants is None and (
        scope.programmes is None or programme_id in scope.programmes)
