"""A pair's document on the real store (issue 14, adapters/pair_documents.py): written without nulls or
repeated ids, a cleared field unset by the next write; one of the earlier shape, as an upgrade finds it,
is found by its sessions, read the same, and rewritten in the compact shape with its sessions still found."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from scheduling.adapters.mongo_unit_of_work import MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.adapters.repositories import pairs_index, pairs_index_before
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling import builders
from tests.unit.scheduling.earlier_shape import earlier_pair_doc

AT = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


async def _save(db, pair) -> None:
    uow = MongoSchedulingUnitOfWork(db, lambda: None)
    uow.pairs.save(pair, [])
    await uow.commit()


async def test_a_pair_is_stored_without_nulls_and_a_cleared_field_is_unset_by_the_next_write(db):
    uow = MongoSchedulingUnitOfWork(db, lambda: None)
    pair = await builders.planned(uow, await builders.programme(uow))
    stored = await db.pairs.find_one({"_id": str(pair.pair_id)}, {"outbox": 0})
    assert "session_ids" not in stored and None not in stored.values()
    assert all("status" not in s for s in stored["sessions"])

    loaded = await MongoSchedulingUnitOfWork(db, lambda: None).pairs.get(pair.pair_id)
    loaded.at_risk_since = AT
    await _save(db, loaded)
    assert (await db.pairs.find_one({"_id": str(pair.pair_id)}))["at_risk_since"] == AT
    loaded.at_risk_since = None
    await _save(db, loaded)
    assert "at_risk_since" not in await db.pairs.find_one({"_id": str(pair.pair_id)})
    assert (await MongoSchedulingUnitOfWork(db, lambda: None).pairs.get(pair.pair_id)).at_risk_since is None


async def test_a_pair_of_the_earlier_shape_is_found_by_session_read_the_same_and_rewritten_compact(db):
    await ensure_indexes(db)
    fake = FakeSchedulingUnitOfWork()
    planned = replace(await builders.planned(fake, await builders.programme(fake)), last_activity_at=AT)
    await db.pairs.insert_one({**earlier_pair_doc(planned), "version": 4, "outbox": [], "outbox_pending": False})
    first = planned.sessions[0].session_id

    pairs = MongoSchedulingUnitOfWork(db, lambda: None).pairs
    found = await pairs.with_session(first)  # no session_pairs entry: the earlier shape's `session_ids`
    assert found == replace(planned, version=4)
    await _save(db, found)

    stored = await db.pairs.find_one({"_id": str(planned.pair_id)})
    assert "session_ids" not in stored and "availability" not in stored["mentor"] and stored["version"] == 5
    fresh = MongoSchedulingUnitOfWork(db, lambda: None).pairs
    for session in planned.sessions:  # found through session_pairs now
        assert (await fresh.with_session(session.session_id)).pair_id == planned.pair_id


async def test_the_pairs_keep_only_the_indexes_a_query_uses_and_lose_the_former_ones(db):
    await db.pairs.create_index([("programme_id", 1), ("status", 1)])  # as older versions made them
    await db.pairs.create_index([("status", 1), ("_id", 1)])
    await ensure_indexes(db)
    await ensure_indexes(db)  # a restart: nothing to drop, nothing new
    names = set((await db.pairs.index_information()).keys())
    assert names == {"_id_", "session_ids_1", "member_ids_1", "programme_id_1_country_1"}


async def test_the_pairs_index_of_sixteen_pages_is_moved_at_start_to_pages_of_a_256th(db):
    programme, entries = uuid.uuid4(), {str(uuid.uuid4()): {"status": "planned", "country": "FR", "at_risk": "no",
                                                            "completed": "0"} for _ in range(40)}
    await pairs_index_before(db).put(programme, entries)  # as an earlier version indexed them
    await ensure_indexes(db)
    assert "pairs_by_programme" not in await db.list_collection_names()
    index = pairs_index(db)
    assert index.pages.name == "pairs_256_by_programme"
    assert await index.entries(programme) == entries
    assert await index.count(programme, status="planned", country="FR") == 40
    assert await index.ids(programme, 0, 100) == sorted(entries)
