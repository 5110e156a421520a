"""A write in one round trip under a marker written ahead (shared/mongo/aggregates.py, outbox_markers.py),
on the real store: what it sends, what a crash before its stamp leaves (published once, seen by the
outbox-age alert from the sweep's stamp), a writer in another process, and which ahead markers a sweep
keeps."""

from datetime import UTC, datetime, timedelta

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.aggregates import AggregateDocuments, ConcurrentUpdate
from shared.mongo.outbox_markers import marker_id
from shared.observability.outbox_age import oldest_pending_age_s
from tests import factories
from tests.integration.test_outbox_relay_store import ids, relay_on, restarted


@pytest.fixture
async def other(servers, db: AsyncDatabase):
    """The same database through another client: another process's `PendingOutboxes`."""
    client = AsyncMongoClient(servers.mongodb_url, tz_aware=True)
    yield AggregateDocuments(client[db.name]["things"])
    await client.close()


class Sent:
    """Counts what a writer sends: reads of the document and markers written before the update."""

    def __init__(self, things: AggregateDocuments) -> None:
        self.reads = self.marks = 0
        find_one, mark, mark_one = things.collection.find_one, things.pending.mark, things.pending.mark_one

        def counted_find_one(*a, **k):
            self.reads += 1
            return find_one(*a, **k)

        async def counted_mark(*a, **k):
            self.marks += 1
            return await mark(*a, **k)

        async def counted_mark_one(*a, **k):
            self.marks += 1
            return await mark_one(*a, **k)

        things.collection.find_one = counted_find_one
        things.pending.mark, things.pending.mark_one = counted_mark, counted_mark_one


async def marker(db: AsyncDatabase, version: int, aggregate_id: str = "a") -> dict | None:
    return await db["outbox_markers"].find_one({"_id": marker_id("things", aggregate_id, version)})


async def settled(things: AggregateDocuments, aggregate_id: str = "a") -> None:
    """The background step of the last ahead write (stamp, next marker) done."""
    task = things.pending._last[("things", aggregate_id)][2]
    assert await task is True


async def test_the_next_write_of_a_document_this_process_wrote_last_is_the_update_alone(db):
    things, published = restarted(db), []
    events = [factories.programme_launched() for _ in range(3)]
    await things.insert({"_id": "a"}, events[:1])
    await things.update("a", 1, {"n": 1}, events[1:2], ahead=True)  # ordinary path: read + mark
    await settled(things)
    assert (await marker(db, 3))["ahead"] is True and "marked_at" not in await marker(db, 3)
    sent = Sent(things)

    assert await things.update("a", 2, {"n": 2}, events[2:], ahead=True) == 3
    assert (sent.reads, sent.marks) == (0, 0), "no version read, no marker before the update"
    await settled(things)
    stamped = await marker(db, 3)
    assert "ahead" not in stamped and isinstance(stamped["marked_at"], datetime), "made ordinary after"
    assert (await marker(db, 4))["ahead"] is True
    assert await relay_on(db, published).run_once() == 3
    assert ids(published) == [str(e.event_id) for e in events], "each once, in order"
    assert [m["_id"] async for m in db["outbox_markers"].find({})] == [marker_id("things", "a", 4)]


async def test_a_crash_after_the_write_before_its_stamp_is_published_once_by_the_sweep(db):
    things, published = restarted(db), []
    first, lost = factories.programme_launched(), factories.programme_launched()
    await things.insert({"_id": "a"}, [first])
    await things.update("a", 1, {"n": 1}, ahead=True)
    await settled(things)
    await relay_on(db, published).run_once()

    async def dies(*_: object) -> bool:
        raise ConnectionError("the process dies before its stamp")

    things.pending.after_write = dies
    await things.update("a", 2, {"n": 2}, [lost], ahead=True)  # lands under the ahead marker; never noted
    assert (await marker(db, 3))["ahead"] is True
    assert await oldest_pending_age_s(db["outbox_markers"]) == 0.0, "not seen by the alert before a sweep"

    restarted(db)
    relay = relay_on(db, published)

    async def kafka_down(entry: dict) -> None:
        raise ConnectionError("Kafka is down")

    relay.publish = kafka_down
    await relay.run_once(sweep=True)
    assert "ahead" not in await marker(db, 3), "the sweep stamped it before publishing"
    later = datetime.now(UTC) + timedelta(seconds=300)
    assert await oldest_pending_age_s(db["outbox_markers"], later) >= 299, "the alert sees it from the stamp"

    relay = relay_on(db, published)
    assert await relay.run_once(sweep=True) == 1
    assert await relay.run_once(sweep=True) == 0
    assert ids(published) == [str(first.event_id), str(lost.event_id)], "published exactly once"
    assert await db["outbox_markers"].count_documents({}) == 0


async def test_a_write_by_another_process_fails_the_one_trip_write_which_is_made_again_the_ordinary_way(db, other):
    things, published = restarted(db), []
    events = [factories.programme_launched() for _ in range(3)]
    await things.insert({"_id": "a"}, events[:1])
    await things.update("a", 1, {"n": 1}, ahead=True)
    await settled(things)
    assert other.pending is not things.pending

    assert await other.update("a", 2, {"n": "theirs"}, events[1:2], ahead=True) == 3  # under our ahead marker
    await settled(other)
    assert "ahead" not in await marker(db, 3), "their write stamped the marker it landed under"
    with pytest.raises(ConcurrentUpdate):
        await things.update("a", 2, {"n": "ours"}, events[2:], ahead=True)
    assert (await db["things"].find_one({"_id": "a"}))["n"] == "theirs"

    sent = Sent(things)
    assert await things.update("a", 3, {"n": "ours"}, events[2:], ahead=True) == 4, "the retry reads the version"
    assert sent.reads == 1 and sent.marks == 1
    await settled(things)
    assert await relay_on(db, published).run_once(sweep=True) == 3
    assert ids(published) == [str(e.event_id) for e in events], "theirs (left waiting) before ours"
    assert await db["outbox_markers"].count_documents({}) == 1, "only our next write's, ahead"


async def test_sweeps_keep_a_fresh_ahead_marker_and_drop_one_its_document_moved_past(db, other):
    things, published = restarted(db), []
    await things.insert({"_id": "a"})
    await things.update("a", 1, {"n": 1}, ahead=True)
    await settled(things)
    relay = relay_on(db, published)
    for _ in range(3):  # a marker above its document's version is stale after two sweeps; not this one
        assert await relay.run_once(sweep=True) == 0
    assert (await marker(db, 3))["ahead"] is True, "at the document's version + 1: kept"
    assert await oldest_pending_age_s(db["outbox_markers"]) == 0.0, "nothing waits"

    await other.update("a", 2, {"n": 2})  # no events: no marker of theirs, nothing stamped
    await other.update("a", 3, {"n": 3})
    assert await relay.run_once(sweep=True) == 0
    assert await db["outbox_markers"].count_documents({}) == 0, "the document moved past it: deleted"
    assert published == []


async def test_a_write_a_sweep_published_from_the_document_is_not_sent_again_after_the_next_write(db):
    # Seen once in the fault tier's fault-free run (sweeps every second): one PairCreated on Kafka twice.
    things, published = restarted(db), []
    events = [factories.programme_launched() for _ in range(4)]
    await things.insert({"_id": "a"}, events[:1])
    await things.update("a", 1, {"n": 1}, events[1:2], ahead=True)
    await settled(things)
    relay = relay_on(db, published)
    assert await relay.run_once() == 2
    sweep = relay.pending.sweep

    async def written_while_the_pass_sweeps():
        # The pass has taken what was noted (nothing); this write lands and is noted meanwhile.
        await things.update("a", 2, {"n": 2}, events[2:3], ahead=True)  # one trip, under the ahead marker 3
        return await sweep()

    relay.pending.sweep = written_while_the_pass_sweeps
    assert await relay.run_once(sweep=True) == 1, "the sweep found version 3 landed and published it"
    relay.pending.sweep = sweep
    await settled(things)
    await things.update("a", 3, {"n": 3}, events[3:], ahead=True)  # its outbox replaces version 3's entries
    assert await relay.run_once() == 1
    assert ids(published) == [str(e.event_id) for e in events], "each once"
