"""Continuous mode on the real broker and store: enrollments are paired from the pool kept in
memory (read from the store once, however many people arrive), PairCreated leaves from the
programme document's outbox, and a decision's documents stopped half-way are written again by
the next load of the pool; a decision from the version this process wrote reads no index page; with a
relay running, a decision's documents are written once its events are acknowledged (or after a bound)."""

import asyncio
import uuid

import pytest
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient, monitoring

import matching.config
import matching.entrypoints.app
from matching.adapters.journal import journal_of, journal_text
from matching.adapters.mongo_unit_of_work import MongoMatchingUnitOfWork
from matching.adapters.repositories import MongoPairs
from matching.bootstrap import bootstrap as bootstrap_services
from matching.domain.model import Pair
from matching.domain.programme import Programme
from matching.pools import PoolCache
from matching.unit_of_work import Decision
from shared.contracts import PairCreated, topic_for
from shared.crypto.sealing import new_data_key
from shared.messaging.outbox_relay import OutboxRelay
from shared.mongo import outbox_markers
from shared.mongo.aggregates import AggregateDocuments, ConcurrentUpdate
from shared.mongo.outbox_markers import PendingOutboxes
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.integration.conftest import serving
from tests.integration.test_matching_rounds_and_withdrawals import publish
from tests.kafka_probe import TopicReader, eventually
from tests.prometheus_text import counter
from tests.unit.matching.builders import person
from tools.servers import Servers

CREATED = topic_for(PairCreated)


def _loads(metrics: str) -> float:
    return counter(metrics, "matching_pool_loads_total")


async def test_a_stream_of_enrollments_is_paired_from_the_pool_in_memory(servers: Servers, settings_kwargs):
    settings = matching.config.Settings(**settings_kwargs)
    bootstrap = servers
    launched = factories.programme_launched(mentor_capacity=3)
    pid = launched.programme_id
    mentors = [factories.participant_enrolled(pid, "mentor") for _ in range(3)]
    mentees = [factories.participant_enrolled(pid, "mentee") for _ in range(9)]
    cache = PoolCache()
    app = matching.entrypoints.app.create_app(settings, bootstrap_services(settings, cache))
    async with serving(app) as http, TopicReader(bootstrap, [CREATED]) as reader:
        await publish(bootstrap, launched, *mentors, *mentees)
        # Generous: on a busy machine the nine decisions queue behind other suites' work.
        ours = lambda r: r.json().get("programme_id") == str(pid)  # noqa: E731
        created = await reader.wait_for(ours, count=9, timeout=180)
        while len({r.json()["event_id"] for r in created}) < 9 and len(created) < 18:  # a relay may publish twice
            created = await reader.wait_for(ours, count=len(created) + 1, timeout=60)
        pairs = {r.json()["event_id"]: (r.json()["mentee"]["participant_id"], r.json()["mentor"]["participant_id"])
                 for r in created}
        # Each mentee in exactly one pair (three per mentor: the capacity).
        assert sorted(mentee for mentee, _ in pairs.values()) == sorted(str(m.participant_id) for m in mentees), pairs
        assert cache.loads_of[pid] == 1  # ten decisions, one read of the pool
        assert _loads((await http.get("/metrics")).text) >= 1.0
        stored = (await http.get("/pairs", params={"programme_id": str(pid)})).json()
        assert stored["total"] == 9


@pytest.mark.parametrize("stored", [journal_text, lambda journal: journal], ids=["text", "nested as before cont12h"])
async def test_documents_of_a_decision_stopped_half_way_are_written_by_the_next_load(servers: Servers, run_id,
                                                                                    stored):
    db = AsyncMongoClient(servers.mongodb_url)[f"it_{run_id}_journal_{uuid.uuid4().hex[:6]}"]
    pid = uuid.uuid4()
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    mentee.version = mentor.version = 1
    pair = Pair(uuid.uuid4(), pid, mentor.participant_id,
                mentee.participant_id, "FR", "fr", 0.5, version=1)
    # The programme document committed the decision, then the process stopped before writing its documents.
    await db["programmes"].insert_one({
        "_id": str(pid), "launched": True, "mode": "continuous", "pending_round_id": None, "rules": [],
        "policy": {"mentor_capacity": 1, "same_country_only": False, "exclude_reporting_line": True,
                   "exclude_same_department": False, "min_overlap_minutes": 60, "weights": [],
                   "reference_date": "2026-01-05"},
        "version": 3, "outbox": [], "outbox_pending": False, "journal": stored(journal_of([mentee, mentor], [pair]))})
    uow = MongoMatchingUnitOfWork(db, lambda: None, PoolCache())
    programme = await uow.programmes.get(pid)
    pool = await uow.pools.current(programme)
    assert pool.live() == {(mentor.participant_id, mentee.participant_id)}
    assert await db["pairs"].count_documents({"programme_id": str(pid)}) == 1
    assert await db["candidates"].count_documents({"programme_id": str(pid)}) == 2


async def test_a_programme_never_stored_starts_from_an_empty_pool_without_a_query_on_what_is_stored(
        servers: Servers, run_id):
    # FerretDB v1 answers {programme_id} by scanning every candidate and pair stored: a new programme's
    # first decision took 7 s with 10,000 people stored, holding up the consumer (issue 14's latency tail).
    db = AsyncMongoClient(servers.mongodb_url)[f"it_{run_id}_new_programme"]
    uow = MongoMatchingUnitOfWork(db, lambda: None, PoolCache())
    queried: list[str] = []

    def spy(name: str):
        async def query(programme_id: uuid.UUID) -> list:
            queried.append(name)
            return []
        return query

    uow.candidates.in_programme, uow.pairs.in_programme = spy("candidates"), spy("pairs")
    uow.publications.unsettled = spy("publications")
    pid = uuid.uuid4()
    assert await uow.programmes.get(pid) is None
    pool = await uow.pools.current(Programme(pid))
    assert queried == [] and pool.live() == set() and not pool.roster.candidates


async def test_a_decision_from_the_version_this_process_wrote_reads_no_index_page(servers: Servers, run_id):
    # An arrival's index write was a page read then a write; the version-checked programme write
    # vouches for the pages this process wrote last, so only a stale memory reads them again.
    finds: list[str] = []

    class Finds(monitoring.CommandListener):
        def started(self, event):
            if event.command_name == "find" and event.command["find"] == "pairs_256_by_programme":
                finds.append(event.command["filter"]["_id"])

        def succeeded(self, event): ...
        def failed(self, event): ...

    name = f"it_{run_id}_index_memory_{uuid.uuid4().hex[:6]}"
    ours = AsyncMongoClient(servers.mongodb_url, event_listeners=[Finds()])
    theirs = AsyncMongoClient(servers.mongodb_url)
    pid, cache = uuid.uuid4(), PoolCache()
    programme = Programme(pid, launched=True)

    async def decide(client, programme: Programme, cache: PoolCache) -> Pair:
        pair = Pair(uuid.uuid4(), pid, uuid.uuid4(), uuid.uuid4(), "FR", "fr", 0.5)
        uow = MongoMatchingUnitOfWork(client[name], lambda: None, cache)
        async with uow:
            await uow.pools.current(programme)  # the pool, and the index pages, read on first use
            uow.programmes.decide(programme, Decision(pairs=[pair]))
            await uow.commit()
        return pair

    made = [await decide(ours, programme, cache) for _ in range(4)]
    assert finds == [], "a programme never stored has no page; then each decision vouches for the pages"
    other = await MongoMatchingUnitOfWork(theirs[name], lambda: None, PoolCache()).programmes.get(pid)
    made.append(await decide(theirs, other, PoolCache()))  # another instance decides
    with pytest.raises(ConcurrentUpdate):
        await decide(ours, programme, cache)
    programme = await MongoMatchingUnitOfWork(ours[name], lambda: None, cache).programmes.get(pid)
    made.append(await decide(ours, programme, cache))
    assert len(finds) == 256, "after another instance's decision the pool and every page are read again"
    made.append(await decide(ours, programme, cache))
    assert len(finds) == 256
    batch = [Pair(uuid.uuid4(), pid, uuid.uuid4(), uuid.uuid4(), "FR", "fr", 0.5) for _ in range(20)]
    uow = MongoMatchingUnitOfWork(ours[name], lambda: None, cache)
    async with uow:  # a round published: its batch is written after the decision's programme write
        await uow.pools.current(programme)
        uow.programmes.decide(programme, Decision())
        uow.publications.add(f"{uuid.uuid4()}:0", pid, batch, [])
        await uow.commit()
    made += [*batch, await decide(ours, programme, cache)]
    assert len(finds) == 256, "the batch's pages, and the next decision's, are written without a read"
    index = MongoPairs(AggregateDocuments(ours[name]["pairs"])).index
    assert sorted(await index.entries(pid)) == sorted(str(p.pair_id) for p in made)
    assert await index.count(pid, status="active") == len(made)
    await ours.drop_database(name)
    await ours.close()
    await theirs.close()


async def test_a_pool_load_keeps_its_programmes_data_keys_and_not_an_erased_persons(servers: Servers, run_id):
    # A mentor's arrival waited on its mentees' keys (k reads by `_id`) whenever the process had not
    # consumed them itself; the pool load now reads the programme's keys in one query.
    finds: list[dict] = []

    class Finds(monitoring.CommandListener):
        def started(self, event):
            if event.command_name == "find" and event.command["find"] == "participant_keys":
                finds.append(dict(event.command["filter"]))

        def succeeded(self, event): ...
        def failed(self, event): ...

    name = f"it_{run_id}_pool_keys_{uuid.uuid4().hex[:6]}"
    theirs = AsyncMongoClient(servers.mongodb_url)  # the process that consumed the key topic
    pid, other = uuid.uuid4(), uuid.uuid4()
    alice, bob, carol = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    keys = {p: new_data_key() for p in (alice, bob, carol)}
    uow = MongoMatchingUnitOfWork(theirs[name], lambda: None, PoolCache())
    uow.keys.store_all(keys, {alice: pid, bob: pid, carol: other})
    uow.programmes.decide(Programme(pid, launched=True), Decision())
    await uow.commit()
    erasing = MongoMatchingUnitOfWork(theirs[name], lambda: None, PoolCache())
    erasing.tombstones.record(alice)
    erasing.keys.destroy(alice)
    await erasing.commit()

    ours = AsyncMongoClient(servers.mongodb_url, event_listeners=[Finds()])  # a process that read no key
    loading = MongoMatchingUnitOfWork(ours[name], lambda: None, PoolCache())
    await loading.pools.current(await loading.programmes.get(pid))
    assert finds == [{"programme_id": str(pid)}], "one query for the programme's keys"
    later = MongoMatchingUnitOfWork(ours[name], lambda: None, PoolCache())
    assert await later.keys.get(bob) == keys[bob]
    assert len(finds) == 1, "bob's key was remembered by the load"
    assert await later.keys.get(alice) is None, "an erased person's key does not come back"
    assert await later.keys.get(carol) == keys[carol]
    assert len(finds) == 3, "alice and carol were not loaded: each read by `_id`"
    assert [f for f in finds[1:] if set(f) != {"_id"}] == []
    await theirs.drop_database(name)
    await theirs.close()
    await ours.close()


async def test_the_relay_is_woken_when_the_programme_write_lands_before_the_decisions_documents(
        servers: Servers, run_id, monkeypatch):
    # The decision stands once its programme write (outbox and journal) lands: its events leave while
    # its documents are written, not after (an arrival's PairCreated no longer waits on two writes).
    import matching.adapters.repositories as repositories

    order: list = []
    apply = repositories.apply

    async def documents(*args, **kwargs):
        order.append("documents")
        await apply(*args, **kwargs)

    monkeypatch.setattr(repositories, "apply", documents)
    client = AsyncMongoClient(servers.mongodb_url)
    db = client[f"it_{run_id}_early_wake_{uuid.uuid4().hex[:6]}"]
    pending = PendingOutboxes.of(db)
    cache, programme = PoolCache(), Programme(uuid.uuid4(), launched=True)
    for events in ([factories.programme_launched()], []):
        uow = MongoMatchingUnitOfWork(db, lambda: order.append(("woken", pending.has_noted())), cache)
        pending.take()
        async with uow:
            await uow.pools.current(programme)
            pair = Pair(uuid.uuid4(), programme.programme_id, uuid.uuid4(), uuid.uuid4(), "FR", "fr", 0.5)
            uow.programmes.decide(programme, Decision(pairs=[pair], events=events))
            await uow.commit()
    # With events: woken once they are noted for the relay, before the documents, and again at the commit
    # (no relay runs here to take them); without: at the commit only.
    assert order == [("woken", True), "documents", ("woken", True), "documents", ("woken", False)], order
    assert await db["pairs"].count_documents({"programme_id": str(programme.programme_id)}) == 2
    await client.drop_database(db.name)
    await client.close()


async def test_with_a_relay_running_a_decisions_documents_follow_the_brokers_ack_of_its_events(
        servers: Servers, run_id, monkeypatch):
    # Sent while the relay sends, the documents' writes held the ack of the decision's PairCreated back
    # (docs/benchmarks.md, "ack12"): they wait for the ack, and go anyway after ACK_WAIT_S without one.
    import matching.adapters.repositories as repositories

    order: list = []
    apply, answer = repositories.apply, asyncio.Event()

    async def documents(*args, **kwargs):
        order.append("documents")
        await apply(*args, **kwargs)

    async def broker(entry: dict) -> None:
        await answer.wait()
        order.append(("acked", entry["event_id"]))

    monkeypatch.setattr(repositories, "apply", documents)
    client = AsyncMongoClient(servers.mongodb_url)
    db = client[f"it_{run_id}_after_ack_{uuid.uuid4().hex[:6]}"]
    relay = OutboxRelay(db, ["programmes"], broker, DeliveryMetrics.on(CollectorRegistry()))
    running = asyncio.create_task(relay.run_forever())
    cache, programme = PoolCache(), Programme(uuid.uuid4(), launched=True)

    async def decide(event) -> None:
        async with MongoMatchingUnitOfWork(db, relay.wake, cache) as uow:
            await uow.pools.current(programme)
            pair = Pair(uuid.uuid4(), programme.programme_id, uuid.uuid4(), uuid.uuid4(), "FR", "fr", 0.5)
            uow.programmes.decide(programme, Decision(pairs=[pair], events=[event]))
            await uow.commit()

    first, second = factories.programme_launched(), factories.programme_launched()
    answer.set()  # the broker answers
    await decide(first)
    assert order == [("acked", str(first.event_id)), "documents"], order

    answer.clear()  # the broker stops answering: the documents go after the bound, the event waits
    monkeypatch.setattr(outbox_markers, "ACK_WAIT_S", 0.2)
    await decide(second)
    assert order[2:] == ["documents"], order
    assert await db["pairs"].count_documents({"programme_id": str(programme.programme_id)}) == 2
    answer.set()

    async def published() -> bool:
        return ("acked", str(second.event_id)) in order

    assert await eventually(published), order
    relay.stop()
    await running
    await client.drop_database(db.name)
    await client.close()
