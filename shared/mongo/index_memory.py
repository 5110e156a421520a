"""A programme index's pages as this process last wrote them, so a write can skip reading them.

A write of a programme index reads the pages it touches (their entries decide the counts' change
and each page's size), then writes them: on an arrival that read was a store round trip on the
critical path (4 concurrent page reads for a mentor who takes 4 mentees). A service whose writes of
one programme's index are serialised and committed by a version-checked write of an aggregate
(matching: every decision writes the programme document first, then its journal; pools.py) knows
the pages it wrote are still the stored ones when its next version-checked write succeeds from the
version it wrote last: any other decision would have moved that version. Such a write passes
`versions=(since, until)` (the aggregate's version before and after its own write); the pages
remembered at `since` are used as read, and after the bulk write the pages written are remembered
at `until`. Any other write of the programme's index in this process (no versions: a journal
written again at a pool load, a published round's batch, a move between layouts) or a failed one
forgets the programme: the next write reads the store again.

Per client (a composition root has one: a second service instance in the same process, or a test's
own client, remembers nothing of the first's), per pages collection, and only for the indexes built
with `remember=True`; at most MAX_PROGRAMMES programmes per collection (least recently written dropped).
"""

import weakref
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

MAX_PROGRAMMES = 32
Pages = dict[str, dict[str, Any]]  # page id -> {"items": {...}} as stored after this process's write


class PageMemory:
    def __init__(self, max_programmes: int = MAX_PROGRAMMES) -> None:
        self._kept: OrderedDict[str, tuple[Any, Pages]] = OrderedDict()  # programme -> (version, pages)
        self.max_programmes = max_programmes

    def at(self, programme_id: Any, version: Any) -> Pages:
        """The pages remembered for the programme if they stand at `version`, else none (forgotten)."""
        kept = self._kept.get(str(programme_id))
        if kept is None or kept[0] != version:
            self._kept.pop(str(programme_id), None)
            return {}
        return kept[1]

    def keep(self, programme_id: Any, since: Any, until: Any, written: Mapping[str, dict[str, Any]]) -> None:
        """The pages just written, on top of those remembered at `since`; all now stand at `until`."""
        pages = {**self.at(programme_id, since), **written}
        self._kept[str(programme_id)] = (until, pages)
        self._kept.move_to_end(str(programme_id))
        while len(self._kept) > self.max_programmes:
            self._kept.popitem(last=False)

    def forget(self, programme_id: Any) -> None:
        self._kept.pop(str(programme_id), None)


# by the client's identity: clients of one address compare equal
_memories: dict[int, dict[str, PageMemory]] = {}


def memory_of(pages: Any) -> PageMemory:
    """The memory of one pages collection through one client (shared by every index object over it)."""
    client = pages.database.client
    if id(client) not in _memories:
        _memories[id(client)] = {}
        weakref.finalize(client, _memories.pop, id(client), None)
    return _memories[id(client)].setdefault(pages.full_name, PageMemory())
