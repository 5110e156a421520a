"""Stages single-document writes; commit applies them in order.

There are no multi-document transactions on the local store, so each staged write is atomic on its
own (state + outbox in one document) and handlers order them so that a replay after a crash
converges: writes use deterministic ids and version checks.
"""

from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Protocol
from uuid import UUID

Write = Callable[[], Awaitable[object]]
Check = Callable[[], Awaitable[None]]


class UnitOfWork:
    def __init__(self, on_commit: Callable[[], None] = lambda: None) -> None:
        self._staged: list[Write] = []
        self._on_commit = on_commit
        self.committed = False
        self._checks: list[Check] = []

    def stage(self, write: Write) -> None:
        self._staged.append(write)

    def check_before_commit(self, check: Check) -> None:
        """Awaited before the first staged write: raising there drops every write of the commit."""
        self._checks.append(check)

    async def commit(self) -> None:
        for check in getattr(self, "_checks", ()):
            await check()
        staged, self._staged = self._staged, []
        for write in staged:
            await write()
        self.committed = True
        self._on_commit()

    async def __aenter__(self) -> "UnitOfWork":
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._staged.clear()


class Erasure(Protocol):
    """Scrubs one service's store of an erased participant (and of the ids derived from them)."""

    def erase(self, participant_id: UUID, erasure_id: UUID) -> None: ...


class Tombstones(Protocol):
    """Remembers who was erased, so late or reordered events create nothing for them again."""

    async def erased(self, *participant_ids: UUID | None) -> bool: ...
    def record(self, participant_id: UUID) -> None: ...


class Keys(Protocol):
    """Participants' data keys, to open their sealed attributes (crypto-shredding, docs/events.md)."""

    async def get(self, participant_id: UUID) -> str | None:
        """The key, or None when it is not here (not delivered yet, or destroyed)."""

    async def erased(self, participant_id: UUID) -> bool:
        """Whether the person was erased (their key destroyed for good)."""

    def store(self, participant_id: UUID, data_key: str, programme_id: UUID | None = None) -> None: ...
    def store_all(self, keys: dict[UUID, str], programmes: Mapping[UUID, UUID] | None = None) -> None: ...
    def destroy(self, participant_id: UUID) -> None: ...
