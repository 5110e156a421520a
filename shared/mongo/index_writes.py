"""What one write of a programme index sends (shared/mongo/programme_index.py): each page's update,
and one update per counts document of the pages touched (their counted combinations' changes, and
with 256 pages each page's number of entries)."""

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from pymongo import UpdateOne

Summary = Mapping[str, Any]


def page_change(programme_id: Any, key: Callable[[Summary], str], before: Mapping[str, Summary],
                entries: Mapping[str, Summary], removed: list[str],
                marks: Mapping[str, Any]) -> tuple[dict, Counter[str]]:
    """The page's update (`marks` set on it) and the change of its counts per counted key."""
    delta: Counter[str] = Counter()
    for item_id in [*entries, *removed]:
        if item_id in before:
            delta[key(before[item_id])] -= 1
    for summary in entries.values():
        delta[key(summary)] += 1
    update: dict[str, Any] = {"$setOnInsert": {"programme_id": str(programme_id)}}
    if entries or marks:
        update["$set"] = {**{f"items.{i}": dict(s) for i, s in entries.items()}, **marks}
    if removed:
        update["$unset"] = {f"items.{i}": "" for i in removed}
    return update, delta


def counts_writes(changes: list[tuple[str, int, Counter[str], Mapping[str, Any], int]],
                  page_sizes: bool) -> list[UpdateOne]:
    """(counts document, page, delta, marks, entries on the page after the write) of each page touched
    -> one update per counts document. A page's size is set, not incremented: a write that follows a
    lost counts update (the store failed between the page and its counts) sets it right again, so
    lists, which read only the pages the sizes say hold entries, never lose a written entry."""
    merged: dict[str, dict[str, dict[str, Any]]] = {}
    for counts_id, page, delta, marks, size in changes:
        if not any(delta.values()) and not marks and not page_sizes:
            continue
        change = merged.setdefault(counts_id, {"$set": {}, "$inc": {}})
        change["$set"].update(marks)
        for k, n in delta.items():
            change["$inc"][f"counts.{k}"] = change["$inc"].get(f"counts.{k}", 0) + n
        if page_sizes:
            change["$set"][f"pages.{page}"] = size
    writes = []
    for counts_id, change in merged.items():
        inc = {k: n for k, n in change["$inc"].items() if n}
        update = {**({"$set": change["$set"]} if change["$set"] else {}), **({"$inc": inc} if inc else {})}
        if update:
            writes.append(UpdateOne({"_id": counts_id}, update, upsert=True))
    return writes
