"""Continuous mode on the real broker and store: enrollments are paired from the pool kept in
memory (read from the store once, however many people arrive), PairCreated leaves from the
programme document's outbox, and a decision's documents stopped half-way are written again by
the next load of the pool."""

import uuid

from pymongo import AsyncMongoClient

import matching.config
import matching.entrypoints.app
from matching.adapters.journal import journal_of
from matching.adapters.mongo_unit_of_work import MongoMatchingUnitOfWork
from matching.bootstrap import bootstrap as bootstrap_services
from matching.domain.model import Pair
from matching.domain.programme import Programme
from matching.pools import PoolCache
from shared.contracts import PairCreated, topic_for
from tests import factories
from tests.integration.conftest import serving
from tests.integration.test_matching_rounds_and_withdrawals import publish
from tests.kafka_probe import TopicReader
from tests.unit.matching.builders import person
from tools.servers import Servers

CREATED = topic_for(PairCreated)


def _loads(metrics: str) -> float:
    line = next(x for x in metrics.splitlines() if x.startswith("matching_pool_loads_total"))
    return float(line.split()[-1])


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
