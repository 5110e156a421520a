"""The outbox relay on the real store: entries published from the writer's memory without reading the
document, published entries dropped by the aggregate's next write (or by the sweep's tidy), and what a
crash, a concurrent write, an erasure and entries stored before they carried a version leave behind."""

from prometheus_client import CollectorRegistry
from pymongo.asynchronous.database import AsyncDatabase

from shared.messaging.outbox_relay import OutboxRelay
from shared.mongo.aggregates import AggregateDocuments
from shared.mongo.erasure import erase_ids
from shared.mongo.outbox_markers import PendingOutboxes
from shared.observability.metrics import DeliveryMetrics
from tests import factories


def _kept(published: list[dict]):
    async def publish(entry: dict) -> None:
        published.append(entry)
    return publish


def relay_on(db: AsyncDatabase, published: list[dict], sweep_interval_s: float = 60.0) -> OutboxRelay:
    return OutboxRelay(db, ["things"], _kept(published), DeliveryMetrics.on(CollectorRegistry()), sweep_interval_s)


def restarted(db: AsyncDatabase) -> AggregateDocuments:
    """A new process: what the old one noted or remembered in memory is gone."""
    PendingOutboxes._by_database.pop(db.name, None)
    return AggregateDocuments(db["things"])


def ids(entries: list[dict]) -> list[str]:
    return [e["event_id"] for e in entries]


async def outbox(db: AsyncDatabase, aggregate_id: str = "a") -> list[str]:
    return ids((await db["things"].find_one({"_id": aggregate_id}))["outbox"])


async def test_a_commit_is_published_from_memory_and_its_entries_are_dropped_by_the_next_write(db):
    things, published = restarted(db), []
    first, second = factories.programme_launched(), factories.programme_launched()
    await things.insert({"_id": "a"}, [first])
    relay = relay_on(db, published)
    reads = []
    find_one = relay.collections["things"].find_one
    relay.collections["things"].find_one = lambda *a, **k: reads.append(a) or find_one(*a, **k)

    assert await relay.run_once() == 1
    assert ids(published) == [str(first.event_id)] and reads == [], "published without reading the document"
    assert await db["outbox_markers"].count_documents({}) == 0
    assert await outbox(db) == [str(first.event_id)], "the relay does not rewrite the document"

    await things.update("a", 1, {"name": "changed"}, [second])
    assert await outbox(db) == [str(second.event_id)], "the write dropped what had left"
    assert await relay.run_once(sweep=True) == 1
    assert ids(published) == [str(first.event_id), str(second.event_id)], "each once, in order"
    await things.update("a", 2, {"name": "again"})
    assert await outbox(db) == [] and reads == []


async def test_a_write_while_the_relay_publishes_keeps_the_entries_still_waiting(db):
    things, published = restarted(db), []
    events = [factories.programme_launched() for _ in range(3)]
    await things.insert({"_id": "a"}, events[:1])
    relay = relay_on(db, published)
    publish = relay.publish

    async def publish_while_writing(entry: dict) -> None:
        await things.update("a", 1, {"n": 2}, events[1:2])  # the first entry has not left yet: kept
        await publish(entry)

    relay.publish = publish_while_writing
    assert await relay.run_once() == 1
    assert await outbox(db) == ids([{"event_id": str(e.event_id)} for e in events[:2]])
    relay.publish = publish
    assert await relay.run_once() == 1
    await things.update("a", 2, {"n": 3}, events[2:])
    assert await outbox(db) == [str(events[2].event_id)], "both published: both dropped"
    assert await relay.run_once() == 1
    assert ids(published) == [str(e.event_id) for e in events]


async def test_a_crash_between_publish_and_the_markers_deletion_republishes_and_loses_nothing(db):
    things, published = restarted(db), []
    event = factories.programme_launched()
    await things.insert({"_id": "a"}, [event])
    relay = relay_on(db, published)

    async def crash(_: object) -> None:
        raise ConnectionError("the process dies here")

    relay.pending.clear_all = crash
    await relay.run_once()
    assert ids(published) == [str(event.event_id)]

    things = restarted(db)
    again = relay_on(db, published)
    assert await again.run_once() == 0, "without a sweep the new process knows of nothing"
    assert await again.run_once(sweep=True) == 1, "the sweep finds the marker and reads the document"
    assert ids(published) == [str(event.event_id)] * 2, "at least once: consumers dedupe by event_id"
    assert await outbox(db) == [] and await db["outbox_markers"].count_documents({}) == 0


async def test_a_write_behind_entries_a_crashed_process_left_waiting_publishes_them_first_without_a_sweep(db):
    things, published = restarted(db), []
    left, then = factories.programme_launched(), factories.programme_launched()
    await things.insert({"_id": "a"}, [left])
    things = restarted(db)
    await things.update("a", 1, {"n": 2}, [then])
    assert await relay_on(db, published).run_once() == 2, "the new write reads the document: both leave"
    assert ids(published) == [str(left.event_id), str(then.event_id)], "in the order written"
    assert await outbox(db) == [] and await db["outbox_markers"].count_documents({}) == 0


async def test_the_sweep_after_a_restart_publishes_what_a_crashed_process_left_and_later_tidies(db):
    things, published = restarted(db), []
    await things.insert({"_id": "a"}, [factories.programme_launched()])
    await things.update("a", 1, {"name": "changed"}, [factories.programme_launched()])
    await things.insert({"_id": "b"}, [factories.programme_launched()])
    restarted(db)
    relay = relay_on(db, published, sweep_interval_s=0.0)
    assert await relay.run_once(sweep=True) == 3
    assert await outbox(db) == [] and await db["outbox_markers"].count_documents({}) == 0

    things = restarted(db)
    await things.insert({"_id": "c"}, [factories.programme_launched()])
    relay = relay_on(db, published)
    assert await relay.run_once() == 1 and len(await outbox(db, "c")) == 1, "left for the next write"
    assert await relay.run_once() == 0 and len(await outbox(db, "c")) == 1, "published less than 60 s ago"
    relay.sweep_interval_s = 0.0  # as if a sweep interval had passed
    assert await relay.run_once() == 0 and len(await outbox(db, "c")) == 1, "emptied by a sweep only"
    assert await relay.run_once(sweep=True) == 0
    assert await outbox(db, "c") == [], "never written again: the relay's sweep empties it"
    assert len(published) == 4


async def test_a_sweep_empties_at_most_its_share_of_quiet_outboxes(db):
    things, published = restarted(db), []
    for name in ("p", "q", "r"):
        await things.insert({"_id": name}, [factories.programme_launched()])
    relay = OutboxRelay(db, ["things"], _kept(published), DeliveryMetrics.on(CollectorRegistry()), 0.0,
                        tidy_per_sweep=2)
    assert await relay.run_once() == 3
    assert await relay.run_once(sweep=True) == 0
    left = [len(await outbox(db, name)) for name in ("p", "q", "r")]
    assert sorted(left) == [0, 0, 1], "two emptied by this sweep, one left for the next"
    assert await relay.run_once(sweep=True) == 0
    assert [len(await outbox(db, name)) for name in ("p", "q", "r")] == [0, 0, 0]


async def test_an_erasure_drops_published_entries_and_moves_the_waiting_ones_which_leave_once(db):
    things, published = restarted(db), []
    person = "0b7c1d2e-person"
    sent, waiting = factories.programme_launched(), factories.programme_launched()
    await things.insert({"_id": f"pair-{person}", "member": person}, [sent])
    relay = relay_on(db, published)
    await relay.run_once()
    await things.update(f"pair-{person}", 1, {"n": 1}, [waiting])
    # A published entry that names the person, left by a process that is gone (no marker, not in memory).
    await db["things"].update_one({"_id": f"pair-{person}"},
                                  {"$push": {"outbox": {"event_id": "x", "note": person, "v": 1}}})
    restarted(db)  # the erasure runs in another process: only the markers say what waits

    assert await erase_ids(db, {person: "anon"}) == 2, "the document and the marker naming it"
    doc = await db["things"].find_one({})
    assert doc["_id"] == "pair-anon" and person not in repr(doc["outbox"]), "published entries dropped"
    assert ids(doc["outbox"]) == [str(waiting.event_id)] and doc["outbox"][0]["v"] == doc["version"]
    relay = relay_on(db, published)
    assert await relay.run_once() == 1
    assert ids(published) == [str(sent.event_id), str(waiting.event_id)]
    assert await outbox(db, "pair-anon") == [], "read after the move: emptied at once"


async def test_entries_stored_before_they_carried_a_version_are_published_and_removed(db):
    published = []
    old = {"event_id": "e1", "event_type": "T", "topic": "t.v1", "key": "k", "correlation_id": "c", "value": "{}"}
    await db["things"].insert_one({"_id": "a", "version": 3, "outbox": [old], "outbox_pending": True})
    await PendingOutboxes.of(db).mark("things", [("a", 3)])
    things = restarted(db)
    assert await relay_on(db, published).run_once(sweep=True) == 1
    assert ids(published) == ["e1"] and await outbox(db) == []
    assert await things.update("a", 3, {"n": 1}) == 4
