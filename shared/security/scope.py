"""What part of the data a request may see: pure data, applied by repositories in their queries.

`None` on an axis means "not restricted on that axis"; an empty set means "nothing". A programme
manager is restricted by countries and/or programmes, a participant by their own participant ids,
a platform admin by nothing. Person-level data (participants, pairs, sessions, surveys) is in scope
when every restricted axis admits it; programme-wide things (rounds, modes, cafés, changes to a
programme) only when the programme itself is named in the scope, or nothing restricts it at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class Scope:
    countries: frozenset[str] | None = None
    programmes: frozenset[UUID] | None = None
    participants: frozenset[UUID] | None = None

    @property
    def unrestricted(self) -> bool:
        return self.countries is None and self.programmes is None and self.participants is None

    def admits(self, programme_id: UUID | None = None, country: str | None = None,
               members: Iterable[UUID] = ()) -> bool:
        """A person-level item: its programme, its country and the people it is about."""
        if self.programmes is not None and programme_id not in self.programmes:
            return False
        if self.countries is not None and country not in self.countries:
            return False
        return self.participants is None or not self.participants.isdisjoint(members)

    def covers_programme(self, programme_id: UUID) -> bool:
        """A programme-wide action or read: only when the programme is named (or nothing restricts)."""
        if self.participants is not None:
            return False
        if self.programmes is None:
            return self.countries is None
        return programme_id in self.programmes

    def sees_programme(self, programme_id: UUID, countries: Iterable[str]) -> bool:
        """A programme's description: named in the scope, or touching one of its countries."""
        if self.participants is not None:
            return False
        if self.programmes is not None and programme_id not in self.programmes:
            return False
        return self.countries is None or not self.countries.isdisjoint(countries)

    def narrow(self, query: dict[str, Any], **fields: Any) -> dict[str, Any]:
        """`query` restricted to the scope (`fields` as for `mongo`), without overwriting its own conditions."""
        return _both(query, self.mongo(**fields))

    def narrow_programme_wide(self, query: dict[str, Any], programme: str = "programme_id") -> dict[str, Any]:
        return _both(query, self.programme_wide(programme))

    def programme_wide(self, programme: str = "programme_id") -> dict[str, Any]:
        """`covers_programme` as conditions on a MongoDB query, for lists of programme-wide things."""
        if self.participants is None and self.programmes is None and self.countries is None:
            return {}
        if self.participants is None and self.programmes is not None:
            return {programme: {"$in": sorted(str(p) for p in self.programmes)}}
        return {"_id": {"$in": []}}

    def mongo(self, programme: str = "programme_id", country: str = "country",
              members: tuple[str, ...] = ()) -> dict[str, Any]:
        """The same rule as `admits`, as conditions to add to a MongoDB query (ids stored as strings)."""
        query: dict[str, Any] = {}
        if self.programmes is not None:
            query[programme] = {"$in": sorted(str(p) for p in self.programmes)}
        if self.countries is not None:
            query[country] = {"$in": sorted(self.countries)}
        if self.participants is not None:
            ids = sorted(str(p) for p in self.participants)
            if not members:
                return {"_id": {"$in": []}}
            conditions = [{field: {"$in": ids}} for field in members]
            query |= conditions[0] if len(conditions) == 1 else {"$or": conditions}
        return query


def _both(query: dict[str, Any], conditions: dict[str, Any]) -> dict[str, Any]:
    if not conditions:
        return query
    if query.keys().isdisjoint(conditions):
        return {**query, **conditions}
    return {"$and": [query, conditions]}


EVERYTHING = Scope()
NOTHING = Scope(countries=frozenset(), programmes=frozenset())
