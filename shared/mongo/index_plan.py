"""How a list reads a programme index's pages (shared/mongo/programme_index.py).

With 16 pages (`digits=1`), one after the other in id order until it has `offset + limit` ids: most
lists stop early (the first page of an unfiltered list reads one page). With 256 (`digits=2`), that
would make a small programme's list (51 entries spread over 256 pages) 256 round trips. Instead
the 16 counts documents are read first (concurrently): each says how many entries of each counted
combination its group of 16 pages holds and how many entries each of its pages holds. Then as many
non-empty pages, in id order, as are expected to hold `offset + limit` matching entries (a page its
group's share of them) are read concurrently, and more if some were stale (an entry written before
its item's failed write); with a filter on a field not counted, a group's pages at a time.
"""

from typing import Any

from shared.mongo.by_id import fetch_by_id


def escaped(value: Any) -> str:
    """A counted value as it stands in a counts key (no "." or "$": they are field paths to the store)."""
    return str(value).replace(".", "_").replace("$", "_")


def listed_after(items: dict[str, Any], after: str | None, wanted: dict[str, Any]) -> list[str]:
    """A page's ids after `after` whose summary has every wanted value, in order."""
    return sorted(i for i, s in items.items()
                  if (after is None or i > after) and all(s.get(k) == v for k, v in wanted.items()))


async def page_by_page_ids(index: Any, programme_id: Any, offset: int, limit: int, after: str | None,
                           wanted: dict[str, Any]) -> list[str]:
    from shared.mongo.programme_index import PAGES, page_of  # the index imports this module

    found: list[str] = []
    for page in range(page_of(after) if after else 0, PAGES):
        doc = await index.pages.find_one({"_id": f"{programme_id}:{page}"}) or {}
        found += listed_after(doc.get("items") or {}, after, wanted)
        if len(found) >= offset + limit:
            break
    return found[offset:offset + limit]


async def planned_ids(index: Any, programme_id: Any, offset: int, limit: int, after: str | None,
                      wanted: dict[str, Any], counts_docs: list[dict] | None = None) -> list[str]:
    """`counts_docs`: the programme's counts documents, when the caller has read them already."""
    from shared.mongo.programme_index import PAGES, page_of  # the index imports this module

    start = page_of(after, index.digits) if after else 0
    groups = range(start >> index.shift, PAGES)
    if counts_docs is None:
        counts_docs = await fetch_by_id(index.pages, [f"{programme_id}:{g}:n" for g in groups])
    counts = {d["_id"]: d for d in counts_docs}
    exact = set(wanted) <= set(index.counted)
    where = {index.counted.index(k): escaped(v) for k, v in wanted.items()} if exact else {}

    async def read(pages: list[int]) -> list[str]:
        docs = await fetch_by_id(index.pages, [f"{programme_id}:{p}" for p in pages])
        return sorted(i for doc in docs for i in listed_after(doc.get("items") or {}, after, wanted))

    found: list[str] = []
    plan: list[int] = []
    expected = 0.0
    for group in groups:
        doc = counts.get(f"{programme_id}:{group}:n") or {}
        sizes = {int(p): n for p, n in (doc.get("pages") or {}).items() if n > 0 and int(p) >= start}
        matching = sum(n for key, n in (doc.get("counts") or {}).items()
                       if n > 0 and all(key.split("|")[i] == v for i, v in where.items())) if exact else None
        if not sizes or matching == 0:
            continue
        # each page is expected to hold its share of the group's matching entries
        share = min(1.0, matching / sum(sizes.values())) if matching is not None else None
        for page in sorted(sizes):
            plan.append(page)
            expected += sizes[page] * (share or 0.0)
            if share is not None and expected >= offset + limit:
                found += await read(plan)
                plan, expected = [], len(found)
                if len(found) >= offset + limit:
                    return found[offset:offset + limit]
        if share is None:  # not counted: the group's pages, then look again
            found += await read(plan)
            plan, expected = [], len(found)
            if len(found) >= offset + limit:
                return found[offset:offset + limit]
    found += await read(plan)
    return found[offset:offset + limit]
