"""Continuous mode on the real broker and store: enrollments are paired from the pool kept in
memory (read from the store once, however many people arrive), PairCreated leaves from the
programme document's outbox, and a decision's documents stopped half-way are written again by
the next load of the pool; a decision from the version this process wrote reads no index page."""

import uuid

import pytest
from pymongo import AsyncMongoClient, monitoring

import matching.config
import matching.entrypoints.app
from matching.adapters.journal import journal_of
from matching.adapters.mongo_unit_of_work import MongoMatchingUnitOfWork
from matching.adapters.repositories import MongoPairs
from matching.bootstrap import bootstrap as bootstrap_services
from matching.domain.model import Pair
from matching.domain.programme import Programme
from matching.pools import PoolCache
from matching.unit_of_work import Decision
from shared.contracts import PairCreated, topic_for
from shared.mongo.aggregates import AggregateDocuments, ConcurrentUpdate
from tests import factories
from tests.integration.conftest import serving
from tests.integration.test_matching_rounds_and_withdrawals import publish
from tests.kafka_probe import TopicReader
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


async def test_documents_of_a_decision_stopped_half_way_are_written_by_the_next_load(servers: Servers, run_id):
    db = AsyncMongoClient(servers.mongodb_url)[f"it_{run_id}_journal"]
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
        "version": 3, "outbox": [], "outbox_pending": False, "journal": journal_of([mentee, mentor], [pair])})
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
