"""A programme index whose filtered pages read about what an unfiltered page reads.

A plain `ProgrammeIndex` serves a filtered page by reading whole index pages (~625 entries each at
10,000 people) until enough entries match: French mentors are 1 entry in 33, so three large pages.
This index also keeps, beside each page, one small document per combination of the counted fields'
values (`_id` "<programme>:<page>:k:<role|country|status>", `ids`: item id -> 1). A filtered page
reads the counts documents (they say which combinations of which pages match, and how many), then
only those small documents, concurrently, until it has `offset + limit` ids. An unfiltered page
reads the pages the counts say it needs, concurrently (a small programme's 51 entries are spread
over all 16 pages: they were read one after the other).
- Write cost: one more write per page touched and combination entered or left (an enrollment: 1;
  a status change or an erasure: 2; a re-import that changes nothing: 0; an import of 1,000 rows
  of 30 combinations: about 480, 0.48 per row).
- The combination documents are written before their page (under the page's lock), so a retried
  write rewrites them; a page gets `keyed` once its combination documents hold all its entries
  (a page written before this index existed is filled on its next write), and its counts document
  gets `keyed` after: until then lists read that page whole, as before.
"""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from shared.concurrently import all_settled
from shared.mongo.by_id import fetch_by_id
from shared.mongo.programme_index import PAGES, ProgrammeIndex, Summary, page_of

KEYED_READS_PER_PAGE = 8  # more matching combinations than this on a page: reading the page is cheaper


def _escaped(value: Any) -> str:
    return str(value).replace(".", "_").replace("$", "_")


class KeyedProgrammeIndex(ProgrammeIndex):
    async def _write_keys(self, page_id: str, page: Mapping[str, Any], entries: Mapping[str, Summary],
                          removed: list[str]) -> dict[str, Any]:
        before: Mapping[str, Summary] = page.get("items") or {}
        filling = not page.get("keyed")
        moves: dict[str, tuple[dict[str, int], dict[str, str]]] = {}  # key -> ($set, $unset)
        if filling:
            for item_id, summary in before.items():
                if item_id not in entries and item_id not in removed:
                    moves.setdefault(self._key(summary), ({}, {}))[0][f"ids.{item_id}"] = 1
        for item_id in [*entries, *removed]:
            old = self._key(before[item_id]) if item_id in before else None
            new = self._key(entries[item_id]) if item_id in entries else None
            if old is not None and old != new:
                moves.setdefault(old, ({}, {}))[1][f"ids.{item_id}"] = ""
            if new is not None and (new != old or filling):
                moves.setdefault(new, ({}, {}))[0][f"ids.{item_id}"] = 1
        # One update each, concurrently: with a bulk write of these upserts FerretDB v1.24 stopped
        # answering in a benchmark run (cause not isolated; docs/benchmarks.md).
        await all_settled(self.pages.update_one({"_id": f"{page_id}:k:{key}"}, {
            op: fields for op, fields in (("$set", added), ("$unset", gone)) if fields}, upsert=True)
            for key, (added, gone) in moves.items())
        return {"keyed": True} if filling else {}

    async def ids(self, programme_id: Any, offset: int, limit: int, after: str | None = None,
                  **where: Any) -> list[str]:
        if not set(where) <= set(self.counted):
            return await super().ids(programme_id, offset, limit, after, **where)
        wanted = {self.counted.index(k): _escaped(v) for k, v in where.items() if v is not None}
        pages = list(range(page_of(after) if after else 0, PAGES))
        counts = {d["_id"]: d for d in await fetch_by_id(self.pages, [f"{programme_id}:{p}:n" for p in pages])}
        found: list[str] = []
        plan: list[tuple[int, list[str] | None]] = []  # page, its matching combinations (None: read it whole)
        expected = 0
        for page in pages:
            doc = counts.get(f"{programme_id}:{page}:n") or {}
            matching = Counter({k: n for k, n in (doc.get("counts") or {}).items() if n > 0 and all(
                k.split("|")[i] == v for i, v in wanted.items())})
            if matching:
                whole = not wanted or not doc.get("keyed") or len(matching) > KEYED_READS_PER_PAGE
                plan.append((page, None if whole else list(matching)))
                expected += matching.total()
            if plan and expected >= offset + limit:
                found += await self._matching_ids(programme_id, plan, after, where)
                plan, expected = [], len(found)
                if len(found) >= offset + limit:
                    break
        else:
            found += await self._matching_ids(programme_id, plan, after, where)
        return found[offset:offset + limit]

    async def _matching_ids(self, programme_id: Any, plan: list[tuple[int, list[str] | None]],
                            after: str | None, where: Mapping[str, Any]) -> list[str]:
        """The planned pages' matching ids after `after`, in order: each page whole or its combinations."""
        reads = [f"{programme_id}:{page}" if keys is None else f"{programme_id}:{page}:k:{key}"
                 for page, keys in plan for key in (keys or [None])]
        ids: list[str] = []
        for doc in await fetch_by_id(self.pages, reads):
            if "items" in doc:
                ids += [i for i, s in doc["items"].items()
                        if all(s.get(k) == v for k, v in where.items() if v is not None)]
            else:
                ids += list(doc.get("ids") or {})
        return sorted(i for i in ids if after is None or i > after)
