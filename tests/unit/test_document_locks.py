"""The in-process document lock that makes version-checked writes atomic on FerretDB."""

import asyncio

from shared.mongo import document_locks
from shared.mongo.document_locks import locked


async def test_writers_of_one_document_take_turns_and_other_documents_proceed():
    order: list[str] = []

    async def write(key: str, name: str, pause: float) -> None:
        async with locked([key]):
            order.append(f"{name}+")
            await asyncio.sleep(pause)
            order.append(f"{name}-")

    await asyncio.gather(write("doc-1", "a", 0.02), write("doc-1", "b", 0.0), write("doc-2", "c", 0.0))
    assert order.index("a-") < order.index("b+"), "the second writer of doc-1 waited for the first"
    assert order.index("c+") < order.index("a-"), "doc-2 did not wait for doc-1"


async def test_overlapping_sets_of_documents_never_deadlock_and_locks_are_released():
    async def write(keys: list[str]) -> None:
        async with locked(keys):
            await asyncio.sleep(0.001)

    await asyncio.wait_for(asyncio.gather(*(write(["x", "y"]) for _ in range(20)), *(write(["y", "x"])
                                                                                      for _ in range(20))), 5)
    assert document_locks._locks == {} and document_locks._users == {}
