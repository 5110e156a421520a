"""A programme index moved once to another layout of pages (matching's pairs: 16 pages -> 256).

At a service's start, before its consumers: if the old layout's collection is still there, its
entries are put into the new layout, then the old collection is dropped (a start that stops halfway
moves them again: putting an entry twice leaves it and its counts the same). An entry the new layout
already holds is left as it is: it was written later, by this version of the code.
"""

from typing import Any


async def move_entries(old: Any, new: Any) -> int:
    """How many entries were moved from `old` (a ProgrammeIndex) into `new`."""
    db = old.pages.database
    if not await db.list_collection_names(filter={"name": old.pages.name}):
        return 0
    by_programme: dict[str, dict[str, dict[str, Any]]] = {}
    # one scan of the old collection, once: its page documents are the ones with entries
    async for doc in old.pages.find({"items": {"$exists": True}}, {"items": 1}):
        by_programme.setdefault(str(doc["_id"]).rsplit(":", 1)[0], {}).update(doc.get("items") or {})
    moved = 0
    for programme_id, entries in by_programme.items():
        there = await new.entries(programme_id)
        missing = {i: s for i, s in entries.items() if i not in there}
        await new.put(programme_id, missing)
        moved += len(missing)
    await old.pages.drop()
    return moved
