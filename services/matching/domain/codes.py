"""Integer codes for what people are compared on, so rules become array comparisons.

Nothing here has a size limit: any number of languages, countries, departments, topics or people.
Languages are compared through *language sets* (the exact set a person speaks): two sets are
compatible when they intersect, decided once per pair of sets.
"""

from uuid import UUID

import numpy as np

from matching.domain.availability import WeeklyAvailability
from matching.domain.programme import Policy


class Words:
    """A growing str -> int codebook (None -> -1)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, value: str | None) -> int:
        if value is None:
            return -1
        return self.ids.setdefault(value, len(self.ids))


class LanguageSets:
    def __init__(self) -> None:
        self.languages = Words()
        self.ids: dict[frozenset[int], int] = {}
        self._members: list[list[int]] = []
        self._table = np.zeros((0, 0), bool)

    def __call__(self, languages: list[str]) -> int:
        members = frozenset(self.languages(x) for x in languages)
        found = self.ids.get(members)
        if found is None:
            found = self.ids[members] = len(self.ids)
            self._members.append(sorted(members))
        return found

    def compatible(self) -> np.ndarray:
        """(sets x sets) bool: do two language sets share a language. Grown as sets appear."""
        n, known = len(self._members), len(self._table)
        if known < n:
            incidence = np.zeros((n, max(1, len(self.languages.ids))), np.float32)
            for row, members in enumerate(self._members):
                incidence[row, members] = 1
            self._table = (incidence @ incidence.T) > 0
        return self._table


class Codes:
    """Every codebook of one programme's pool (shared by its rounds and its continuous pairing)."""

    def __init__(self, policy: Policy) -> None:
        self.people: dict[UUID, int] = {}
        self.language_sets = LanguageSets()
        self.countries, self.departments, self.topics = Words(), Words(), Words()
        self.availability = WeeklyAvailability(policy.reference_date, policy.min_overlap_minutes, policy.calendar)

    def person(self, participant_id: UUID | None) -> int:
        if participant_id is None:
            return -1
        return self.people.setdefault(participant_id, len(self.people))
