"""A programme index's pages as this process last wrote them, so a write can skip reading them.

A write of a programme index reads the pages it touches (their entries decide the counts' change
and each page's size), then writes them: on an arrival that read was a store round trip on the
critical path (a mentor taking k mentees read k pages concurrently). A service whose writes of one
programme's index are serialised and committed by a version-checked write of an aggregate
(matching: each decision writes the programme document first, then its journal; pools.py) knows
that the pages it wrote are still the stored ones when its next version-checked write succeeds from
the version it wrote last: any other decision would have moved that version.
- `ProgrammeIndex.remember_all(programme, version)` reads every page once (matching: when it loads
  the programme's pool, at the version it read): the pages a write touches are random among 256;
- a write that passes `versions=(since, until)` (the aggregate's version before and after its own
  write) takes the pages remembered at `since` as read, and after its bulk write they stand at
  `until`, with the pages it wrote; a version-checked write that wrote no page moves them along
  (`ProgrammeIndex.follow`);
- any other write of the programme's index through this client (no versions: a journal written
  again at a pool load, a round's batch, a move between layouts), a failed write, or a write from
  another version forgets the programme: the next write reads the store again.

Per client (a composition root has one: a second service instance in the same process, or a test's
own client, remembers nothing of the first's), per pages collection, only for the indexes built
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
        # programme -> (version, pages, complete: every page of the programme is there, absent = empty)
        self._kept: OrderedDict[str, tuple[Any, Pages, bool]] = OrderedDict()
        self.max_programmes = max_programmes

    def at(self, programme_id: Any, version: Any) -> tuple[Pages, bool]:
        """The pages remembered for the programme if they stand at `version` (else none: forgotten),
        and whether they are all its pages."""
        kept = self._kept.get(str(programme_id))
        if kept is None or kept[0] != version:
            self._kept.pop(str(programme_id), None)
            return {}, False
        return kept[1], kept[2]

    def keep(self, programme_id: Any, since: Any, until: Any, written: Mapping[str, dict[str, Any]]) -> None:
        """The pages just written, on top of those remembered at `since`; all now stand at `until`."""
        kept = self._kept.get(str(programme_id))
        pages, complete = (kept[1], kept[2]) if kept is not None and kept[0] == since else ({}, False)
        self._put(str(programme_id), (until, {**pages, **written}, complete))

    def know_all(self, programme_id: Any, version: Any, pages: Mapping[str, dict[str, Any]]) -> None:
        """Every page of the programme as stored at `version` (one it lacks is empty)."""
        self._put(str(programme_id), (version, dict(pages), True))

    def follow(self, programme_id: Any, since: Any, until: Any) -> None:
        """The aggregate moved from `since` to `until` without writing these pages (a decision
        that made no pair): what was remembered at `since` stands at `until`."""
        kept = self._kept.get(str(programme_id))
        if kept is not None and kept[0] == since:
            self._kept[str(programme_id)] = (until, kept[1], kept[2])
        elif kept is not None and kept[0] != until:
            self.forget(programme_id)

    def forget(self, programme_id: Any) -> None:
        self._kept.pop(str(programme_id), None)

    def _put(self, programme: str, kept: tuple[Any, Pages, bool]) -> None:
        self._kept[programme] = kept
        self._kept.move_to_end(programme)
        while len(self._kept) > self.max_programmes:
            self._kept.popitem(last=False)


# by the client's identity: clients of one address compare equal
_memories: dict[int, dict[str, PageMemory]] = {}


def memory_of(pages: Any) -> PageMemory:
    """The memory of one pages collection through one client (shared by every index object over it)."""
    client = pages.database.client
    if id(client) not in _memories:
        _memories[id(client)] = {}
        weakref.finalize(client, _memories.pop, id(client), None)
    return _memories[id(client)].setdefault(pages.full_name, PageMemory())
