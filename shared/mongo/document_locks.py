"""Serialises this process's writes to one document.

FerretDB v1 reads a document outside the transaction that writes it back, so two concurrent
version-checked updates of one document can both match and one silently loses (measured: 48 of
200 races). MongoDB makes each update atomic on its document; there the lock only costs a little
waiting. Locally every writer of a service's documents lives in that service's one process.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable, Iterable

_locks: dict[Hashable, asyncio.Lock] = {}
_users: dict[Hashable, int] = {}


@contextlib.asynccontextmanager
async def locked(keys: Iterable[Hashable]) -> AsyncIterator[None]:
    # Sorted, so two writers locking overlapping sets cannot deadlock.
    ordered = sorted(set(keys), key=repr)
    for key in ordered:
        _users[key] = _users.get(key, 0) + 1
        _locks.setdefault(key, asyncio.Lock())
    acquired: list[Hashable] = []
    try:
        for key in ordered:
            await _locks[key].acquire()
            acquired.append(key)
        yield
    finally:
        for key in acquired:
            _locks[key].release()
        for key in ordered:
            _users[key] -= 1
            if not _users[key]:
                del _users[key], _locks[key]


def document_key(collection: object, document_id: object) -> tuple[str, str, str]:
    return (collection.database.name, collection.name, str(document_id))  # type: ignore[attr-defined]
