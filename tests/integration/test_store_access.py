"""Store access that stays O(1) in what is stored, on the real store (the outbox relay's is in
test_outbox_relay_store.py): version checks by _id, the bounded inbox, the per-programme index
pages (and the gauges' counts kept between refreshes, a launch's waiting pairs found through them), and scheduling's
per-participant look-up of pairs."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from scheduling import handlers
from scheduling.adapters.mongo_unit_of_work import MongoSchedulingUnitOfWork, ensure_indexes
from scheduling.adapters.participant_pairs import ParticipantPairs
from scheduling.domain.commands import RegisterProgramme
from scheduling.domain.model import SessionPlan
from shared.messaging.inbox import Inbox
from shared.mongo.aggregates import AggregateDocuments, ConcurrentUpdate
from shared.mongo.index_counts import recent_counts
from shared.mongo.programme_index import ProgrammeIndex
from tests.unit.scheduling import builders


async def test_a_version_checked_update_refuses_a_stale_version(db):
    things = AggregateDocuments(db["things"])
    await things.insert({"_id": "a", "n": 1})
    assert await things.update("a", 1, {"n": 2}) == 2
    with pytest.raises(ConcurrentUpdate):
        await things.update("a", 1, {"n": 3})
    assert (await db["things"].find_one({"_id": "a"}))["n"] == 2


async def test_the_inbox_remembers_an_event_for_two_weeks_and_drops_older_weeks_whole(db):
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)  # a Monday
    event_id = uuid.uuid4()
    await Inbox(db, clock=lambda: now).record(event_id, "a.topic.v1")
    assert await Inbox(db, clock=lambda: now + timedelta(days=13)).seen(event_id)

    later = Inbox(db, clock=lambda: now + timedelta(days=21))
    assert not await later.seen(event_id)
    await later.record(uuid.uuid4(), "a.topic.v1")
    weeks = [n for n in await db.list_collection_names() if n.startswith("processed_events_")]
    assert weeks == ["processed_events_2026w13"], "the week of the first event was dropped"


async def test_a_programme_index_lists_in_id_order_reading_no_more_pages_than_needed_and_counts_as_it_goes(db):
    index = ProgrammeIndex(db, "participants", counted=("role", "country"))
    mine, other = uuid.uuid4(), uuid.uuid4()
    ids = [f"{d}{n}" for d in "0123456789abcdef" for n in range(3)]  # three ids on each of the 16 pages
    await index.put(mine, {i: {"role": "mentor" if n % 2 else "mentee", "country": "FR"} for n, i in enumerate(ids)})
    await index.put(other, {"f9": {"role": "mentor", "country": "DE"}})
    await index.put(mine, {"01": {"role": "mentor", "country": "DE"}})  # was a mentor in FR
    await index.remove(mine, ["02"])

    assert await index.ids(mine, 0, 4) == ["00", "01", "10", "11"]
    assert await index.ids(mine, 1, 2, after="b0") == ["b2", "c0"]
    assert await index.ids(mine, 0, 3, role="mentor", country="FR") == ["10", "12", "21"]
    assert await index.count(mine) == 47 and await index.count(mine, role="mentor", country="FR") == 23
    assert (await index.counts(mine))[("mentor", "DE")] == 1
    entries = await index.entries(mine)
    assert len(entries) == 47 and "f9" not in entries and entries["01"] == {"role": "mentor", "country": "DE"}

    pages_read = []
    find_one = index.pages.find_one
    index.pages.find_one = lambda query, *a: pages_read.append(query["_id"]) or find_one(query, *a)
    await index.ids(mine, 0, 2)
    assert pages_read == [f"{mine}:0"], "the first page of a list reads the first index page only"


async def test_the_gauges_read_a_programmes_counts_again_only_once_written_or_after_their_maximum_age(db):
    index = ProgrammeIndex(db, "participants", counted=("role", "country"))
    programme, now = uuid.uuid4(), [0.0]
    await index.put(programme, {"0a": {"role": "mentor", "country": "FR"}})
    reads = []
    counts = index.counts
    index.counts = lambda p: reads.append(p) or counts(p)

    async def gauge() -> dict:
        return dict(await recent_counts(index, programme, max_age_s=300, clock=lambda: now[0]))

    assert await gauge() == {("mentor", "FR"): 1} and len(reads) == 1
    assert await gauge() == {("mentor", "FR"): 1} and len(reads) == 1, "nothing written: the counts read before"
    await index.put(programme, {"1b": {"role": "mentee", "country": "DE"}})
    assert await gauge() == {("mentor", "FR"): 1, ("mentee", "DE"): 1} and len(reads) == 2
    another_writer = ProgrammeIndex(db, "participants", counted=("role", "country"))  # same process, other object
    await another_writer.remove(programme, ["0a"])
    assert await gauge() == {("mentee", "DE"): 1} and len(reads) == 3
    await db["participants_by_programme"].update_one({"_id": f"{programme}:1:n"}, {"$inc": {"counts.mentee|DE": 1}})
    assert await gauge() == {("mentee", "DE"): 1}, "a write by another process shows after the maximum age"
    now[0] = 301.0
    assert await gauge() == {("mentee", "DE"): 2} and len(reads) == 4


async def test_scheduling_finds_a_participants_pairs_through_their_look_up_document_seeded_once_for_older_pairs(db):
    older, late = str(uuid.uuid4()), str(uuid.uuid4())
    many = [str(uuid.uuid4()) for _ in range(45)]  # filed in several commands (shared/mongo/updates.py)
    await db["pairs"].insert_many([{"_id": "p-old", "member_ids": [older, "x"]},
                                   {"_id": "p-old2", "member_ids": [older]},
                                   *({"_id": f"p-{m}", "member_ids": [m]} for m in many)])
    look_up = ParticipantPairs(db)
    await ensure_indexes(db)  # the first start files the pairs stored before the look-up existed
    await db["pairs"].insert_one({"_id": "p-late", "member_ids": [late]})  # written around the look-up
    await ensure_indexes(db)
    assert (await look_up.of(older), await look_up.of(late)) == (["p-old", "p-old2"], []), "seeded once"
    assert [await look_up.of(m) for m in many] == [[f"p-{m}"] for m in many]

    uow = MongoSchedulingUnitOfWork(db, lambda: None)
    programme = await builders.programme(uow)
    pair = await builders.planned(uow, programme)
    await builders.planned(uow, programme, mentor=pair.mentor)  # the mentor's second pair
    await builders.planned(MongoSchedulingUnitOfWork(db, lambda: None), programme, mentor=pair.mentor)
    found = await MongoSchedulingUnitOfWork(db, lambda: None).pairs.of_participant(pair.mentor.participant_id, None)
    assert len(found) == 3 and pair.pair_id in {p.pair_id for p in found}
    mentee = await uow.pairs.of_participant(pair.mentee.participant_id, programme)
    assert [p.pair_id for p in mentee] == [pair.pair_id] and mentee[0].sessions == pair.sessions
    assert await uow.pairs.of_participant(pair.mentee.participant_id, uuid.uuid4()) == [], "another programme"


async def test_a_programmes_launch_finds_its_waiting_pairs_through_its_index_pages_by_exact_id(db):
    uow = MongoSchedulingUnitOfWork(db, lambda: None)
    programme, other = uuid.uuid4(), uuid.uuid4()
    waiting = [await builders.planned(uow, programme) for _ in range(2)]  # PairCreated before the launch
    await builders.planned(uow, other)
    assert {p.status for p in waiting} == {"awaiting_programme"}
    queries = []
    find = uow.pairs.docs.collection.find
    uow.pairs.docs.collection.find = lambda *a, **k: queries.append(a) or find(*a, **k)
    found = await uow.pairs.awaiting_programme(programme)
    assert {p.pair_id for p in found} == {p.pair_id for p in waiting}
    assert all(list(q[0]) == ["_id"] and isinstance(q[0]["_id"], str) for q in queries), "exact _id reads only"

    await handlers.register_programme(RegisterProgramme(programme, SessionPlan(6, 60, 7), **builders.ids()), uow)
    assert {(await uow.pairs.get(p.pair_id)).status for p in waiting} <= {"planned", "partially_planned"}
    assert await uow.pairs.awaiting_programme(programme) == [] and len(await uow.pairs.awaiting_programme(other)) == 1
