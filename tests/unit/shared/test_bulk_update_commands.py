"""Bulk updates reach the store in commands FerretDB v1 can serve (shared/mongo/updates.py)."""

import pytest
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from shared.mongo.updates import STATEMENTS, bulk_update

pytestmark = pytest.mark.unit


class CommandsSeen:
    """A collection that records each bulk command and fails the ones it is told to."""

    def __init__(self, failing: set[int] = frozenset()) -> None:
        self.commands: list[tuple[list[str], bool]] = []
        self.failing = failing

    async def bulk_write(self, requests: list[UpdateOne], ordered: bool) -> None:
        self.commands.append(([r._filter["_id"] for r in requests], ordered))
        if len(self.commands) - 1 in self.failing:
            raise BulkWriteError({"writeErrors": [{"index": 0, "code": 11000, "errmsg": "dup"}]})


def _upserts(n: int) -> list[UpdateOne]:
    return [UpdateOne({"_id": f"p{i}"}, {"$set": {"n": i}}, upsert=True) for i in range(n)]


async def test_a_batch_of_members_goes_in_commands_of_at_most_the_limit_in_its_order():
    seen = CommandsSeen()
    await bulk_update(seen, _upserts(2 * STATEMENTS + 3), ordered=False)
    assert [len(ids) for ids, _ in seen.commands] == [STATEMENTS, STATEMENTS, 3]
    assert [i for ids, _ in seen.commands for i in ids] == [f"p{i}" for i in range(2 * STATEMENTS + 3)]
    assert {ordered for _, ordered in seen.commands} == {False}
    assert STATEMENTS < 100  # FerretDB's SQLite pool: 100 connections per database


async def test_an_ordered_update_stops_at_the_first_failing_command():
    seen = CommandsSeen(failing={0})
    with pytest.raises(BulkWriteError):
        await bulk_update(seen, _upserts(3 * STATEMENTS), ordered=True)
    assert len(seen.commands) == 1


async def test_an_unordered_update_sends_every_command_then_raises_the_failure():
    seen = CommandsSeen(failing={1})
    with pytest.raises(BulkWriteError):
        await bulk_update(seen, _upserts(3 * STATEMENTS), ordered=False)
    assert len(seen.commands) == 3


async def test_nothing_to_write_sends_nothing():
    seen = CommandsSeen()
    await bulk_update(seen, [], ordered=False)
    assert seen.commands == []
