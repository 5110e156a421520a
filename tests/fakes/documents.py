"""A database over dicts with the few single-document commands the tombstone and key ports send, each
counted, so a test can tell what a unit of work read. Two `FakeDatabase`s over one `FakeStore` are two
processes of a service over its one database."""

import copy
from collections import Counter
from typing import Any


class FakeStore:
    def __init__(self) -> None:
        self.collections: dict[str, dict[Any, dict]] = {}
        self.reads: Counter[str] = Counter()


class FakeCollection:
    def __init__(self, store: FakeStore, name: str) -> None:
        self.store, self.name = store, name
        self.docs = store.collections.setdefault(name, {})

    async def find_one(self, filter: dict, projection: Any = None) -> dict | None:
        self.store.reads[self.name] += 1
        doc = self.docs.get(filter["_id"])
        return copy.deepcopy(doc)

    def find(self, filter: dict, projection: Any = None) -> "FakeCursor":
        """The documents whose fields equal the filter's (the tombstone port reads them all, with an
        empty filter; a pool load reads its programme's keys)."""
        self.store.reads[self.name] += 1
        return FakeCursor([copy.deepcopy(d) for d in self.docs.values()
                           if all(d.get(f) == v for f, v in filter.items())])

    async def update_one(self, filter: dict, update: dict, upsert: bool = False) -> None:
        key = filter["_id"]
        if key not in self.docs:
            if not upsert:
                return
            self.docs[key] = {"_id": key, **update.get("$setOnInsert", {})}
        doc = self.docs[key]
        doc.update(update.get("$set", {}))
        for field, by in update.get("$inc", {}).items():
            doc[field] = doc.get(field, 0) + by

    async def find_one_and_update(self, filter: dict, update: dict, upsert: bool = False,
                                  return_document: Any = None) -> dict | None:
        """As pymongo with `return_document=AFTER` (the epoch's bump): not counted as a read."""
        await self.update_one(filter, update, upsert)
        return copy.deepcopy(self.docs.get(filter["_id"]))

    async def delete_one(self, filter: dict) -> None:
        self.docs.pop(filter["_id"], None)

    async def bulk_write(self, requests: list, ordered: bool = True) -> None:
        for r in requests:  # UpdateOne only
            await self.update_one(r._filter, r._doc, r._upsert)


class FakeCursor:
    def __init__(self, docs: list[dict]) -> None:
        self.docs = docs

    def limit(self, n: int) -> "FakeCursor":
        return FakeCursor(self.docs[:n])

    async def to_list(self) -> list[dict]:
        return self.docs


class FakeDatabase:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def __getitem__(self, name: str) -> FakeCollection:
        return FakeCollection(self.store, name)
