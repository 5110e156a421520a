"""A batch of updates to documents that exist, on the real store (shared/mongo/updates.py): 150 members'
pair look-ups filed at once, as scheduling does for a batch of PairCreated. In one `update` command
FerretDB v1 (SQLite) would hold a connection per matched statement until the command's end and wait for
the 101st for ever; sent in commands of `STATEMENTS`, every one is applied."""

import asyncio

import pytest
from pymongo import UpdateOne

from scheduling.adapters.participant_pairs import ParticipantPairs
from shared.mongo.updates import bulk_update

pytestmark = pytest.mark.integration
MEMBERS = 150  # more than the store's 100 connections per database


async def test_updates_to_150_existing_documents_are_all_applied(db):
    await db["things"].insert_many([{"_id": f"t{i}", "n": 0} for i in range(MEMBERS)])
    # A deadlock would never return: the generous bound only turns it into a failure on a busy machine.
    await asyncio.wait_for(bulk_update(db["things"], [UpdateOne({"_id": f"t{i}"}, {"$inc": {"n": 1}})
                                                      for i in range(MEMBERS)], ordered=False), 300)
    assert await db["things"].count_documents({"n": 1}) == MEMBERS


async def test_a_second_pair_for_150_members_is_filed_beside_their_first(db):
    look_up = ParticipantPairs(db)
    members = [f"m{i}" for i in range(MEMBERS)]
    await look_up.file_many({f"first-{m}": [m] for m in members})  # their documents exist from here on
    await asyncio.wait_for(look_up.file_many({f"second-{m}": [m] for m in members}), 300)
    for m in (members[0], members[-1]):
        assert set(await look_up.of(m)) == {f"first-{m}", f"second-{m}"}
