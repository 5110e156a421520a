"""A pool's people as column arrays, one row per candidate, grown in place as people enrol.

Adding someone writes one row (amortised: arrays double when full), so continuous pairing never
rebuilds the arrays of the people already there; a round takes the rows of those still free.
"""

from dataclasses import dataclass, fields

import numpy as np

from matching.domain.codes import Codes
from matching.domain.model import Candidate

LEVELS = 4  # proficiency 0-4: max(0, a - b) == number of levels k in 1..4 with b < k <= a


@dataclass
class People:
    """Column arrays of some people (a roster's rows, or a round's subset of them)."""

    code: np.ndarray  # int64 person code (managers share the code space)
    manager: np.ndarray  # int64, -1 when none
    language_set: np.ndarray
    country: np.ndarray
    department: np.ndarray  # -1 when none
    availability: np.ndarray  # availability group (key of the availability seam)
    seniority: np.ndarray
    gives: np.ndarray  # may mentor (mentor or both)
    takes: np.ndarray  # may be mentored (mentee or both)
    both: np.ndarray
    must: np.ndarray
    capacity: np.ndarray  # seats as a mentor (a `both` participant: 1 pair in all)
    active: np.ndarray  # not withdrawn
    need: np.ndarray  # float64: sum of wish x (4 - proficiency), what this person wants to learn
    learn: np.ndarray  # float32 (n, topics*LEVELS): wish where this person is below level k
    teach: np.ndarray  # float32: 1 where this person is at or above level k
    wants: np.ndarray  # float32: 1 where wished and below level k

    def take(self, rows: np.ndarray) -> "People":
        return People(**{f.name: getattr(self, f.name)[rows] for f in fields(People)})

    def __len__(self) -> int:
        return len(self.code)


class Roster:
    def __init__(self, codes: Codes, default_capacity: int) -> None:
        self.codes, self.default_capacity = codes, default_capacity
        self.candidates: list[Candidate] = []
        self.row_of: dict = {}
        self._arrays = _empty(16, 4)
        self._people: _Views | None = None

    def __len__(self) -> int:
        return len(self.candidates)

    @property
    def people(self) -> People:
        """Views of the arrays' first rows; built again only when a row is added or the arrays grow
        (a decision asks for them a score of times, and writes go through the views anyway)."""
        n, arrays = len(self.candidates), self._arrays
        kept = self._people
        if kept is None or len(kept) != n or kept.source is not arrays:
            kept = self._people = _Views(arrays, n)
        return kept.people

    def add(self, batch: list[Candidate]) -> np.ndarray:
        """Appends these candidates (new ids); returns their rows."""
        start = len(self.candidates)
        rows = np.arange(start, start + len(batch))
        self._write(rows, batch, kept=start)
        self.candidates.extend(batch)
        return rows

    def replace(self, candidate: Candidate) -> int:
        """A stored candidate changed (withdrawn, or new enrollment data): its row is written again."""
        row = self.row_of[candidate.participant_id]
        self.candidates[row] = candidate
        self._write(np.array([row]), [candidate], kept=len(self.candidates))
        return row

    def _write(self, rows: np.ndarray, batch: list[Candidate], kept: int) -> None:
        codes = self.codes
        start = int(rows[0]) if len(rows) else 0
        for c in batch:
            for s in c.skills:
                codes.topics(s.topic)
        self._reserve(max(kept, start + len(batch)), len(codes.topics.ids) * LEVELS, kept)
        a, avail, person = self._arrays, codes.availability, codes.person
        languages, countries, departments = codes.language_sets, codes.countries, codes.departments
        columns = {
            "code": [person(c.participant_id) for c in batch],
            "manager": [person(c.manager_id) for c in batch],
            "language_set": [languages(c.languages) for c in batch],
            "country": [countries(c.country) for c in batch],
            "department": [departments(c.department) for c in batch],
            "availability": [avail.key(c.time_zone, c.country, c.region, tuple(c.availability)) for c in batch],
            "seniority": [c.seniority_level for c in batch],
            "gives": [c.role != "mentee" for c in batch],
            "takes": [c.role != "mentor" for c in batch],
            "both": [c.role == "both" for c in batch],
            "must": [c.must_match for c in batch],
            "active": [not c.withdrawn for c in batch],
            "capacity": [1 if c.role != "mentor" else (c.capacity or self.default_capacity) for c in batch],
            "need": [sum(s.wish * (LEVELS - s.proficiency) for s in c.skills) for c in batch],
        }
        for name, values in columns.items():
            getattr(a, name)[start:start + len(batch)] = values
        self.row_of.update((c.participant_id, int(row)) for c, row in zip(batch, rows, strict=True))
        for name in ("learn", "teach", "wants"):
            getattr(a, name)[rows] = 0
        entries = [(row, codes.topics.ids[s.topic], s.proficiency, s.wish)
                   for row, c in zip(rows, batch, strict=True) for s in c.skills]
        if entries:
            row, topic, proficiency, wish = (np.array(x) for x in zip(*entries, strict=True))
            levels = np.arange(1, LEVELS + 1)[None, :]
            columns = topic[:, None] * LEVELS + levels - 1
            a.teach[row[:, None], columns] = proficiency[:, None] >= levels
            a.learn[row[:, None], columns] = wish[:, None] * (proficiency[:, None] < levels)
            a.wants[row[:, None], columns] = (wish[:, None] > 0) & (proficiency[:, None] < levels)

    def _reserve(self, rows: int, width: int, kept: int) -> None:
        old = self._arrays
        if rows <= len(old.code) and width <= old.learn.shape[1]:
            return
        grown = _empty(max(rows, 2 * len(old.code)) if rows > len(old.code) else len(old.code),
                       max(width, 2 * old.learn.shape[1]) if width > old.learn.shape[1] else old.learn.shape[1])
        n = kept
        for f in fields(People):
            new, before = getattr(grown, f.name), getattr(old, f.name)
            if new.ndim == 2:
                new[:n, : before.shape[1]] = before[:n]
            else:
                new[:n] = before[:n]
        self._arrays = grown


_COLUMNS = tuple(f.name for f in fields(People))


class _Views:
    def __init__(self, source: People, n: int) -> None:
        self.source = source
        self.people = People(**{name: getattr(source, name)[:n] for name in _COLUMNS})

    def __len__(self) -> int:
        return len(self.people)


def _empty(rows: int, width: int) -> People:
    ints = {name: np.zeros(rows, np.int64) for name in ("code", "manager", "language_set", "country", "department",
                                                      "availability", "seniority", "capacity")}
    flags = {name: np.zeros(rows, bool) for name in ("gives", "takes", "both", "must", "active")}
    skills = {name: np.zeros((rows, width), np.float32) for name in ("learn", "teach", "wants")}
    return People(**ints, **flags, **skills, need=np.zeros(rows, np.float64))
