"""A programme's pool stays in memory between decisions, confirmed by the programme document's
version: an enrollment or a withdrawal costs its own rows, never a reload of the whole pool, nor a
read of the programme this process wrote last; a version written elsewhere makes the next decision's
write fail, and its retry read the programme and the pool again."""

import numpy as np
import pytest

from matching import handlers
from matching.domain.pool import Pool
from matching.domain.programme import PairRule, Policy
from shared.contracts import PairCreated
from shared.mongo.aggregates import ConcurrentUpdate
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.unit.matching.builders import enrolled, person, withdrawn
from tests.unit.matching.test_continuous_pairing import launch


async def test_a_stream_of_arrivals_and_departures_reads_the_pool_from_the_store_once():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, mentor_capacity=2)
    people = [person(role, pid) for role in ("mentee", "mentor", "both", "mentee", "mentee", "mentor", "both")]
    for c in people:
        await handlers.add_candidate(enrolled(c), uow)
    await handlers.withdraw(withdrawn(people[1]), uow)
    assert uow.cache.loads == 1
    assert len([e for e in uow.events() if isinstance(e, PairCreated)]) >= 3


async def test_the_pool_kept_in_memory_equals_the_pool_read_from_the_store():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, mentor_capacity=2)
    people = [person(role, pid) for role in ("mentee", "mentor", "mentee", "both", "mentee", "both", "mentor")]
    for c in people:
        await handlers.add_candidate(enrolled(c), uow)
    await handlers.withdraw(withdrawn(people[1]), uow)
    kept = uow.cache.entries[pid].pool
    fresh = Pool(uow.programme(pid), list(uow.candidates.items.values()), list(uow.pairs.items.values()))
    order = [kept.roster.row_of[c.participant_id] for c in fresh.roster.candidates]
    assert np.array_equal(kept.seats()[order], fresh.seats())
    assert np.array_equal(kept.free_takers()[order], fresh.free_takers())
    assert kept.excluded() == fresh.excluded() and kept.live() == fresh.live()


class CountedReads:
    def __init__(self, programmes) -> None:
        self.programmes, self.reads = programmes, 0

    def __getattr__(self, name):
        return getattr(self.programmes, name)

    async def get(self, programme_id):
        self.reads += 1
        return await self.programmes.get(programme_id)


async def test_decisions_after_this_process_wrote_the_programme_do_not_read_it_again():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, mentor_capacity=2)
    await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    uow.programmes = counted = CountedReads(uow.programmes)
    for role in ("mentor", "mentee", "both", "mentee"):
        await handlers.add_candidate(enrolled(person(role, pid)), uow)
    assert counted.reads == 0 and uow.cache.loads == 1
    assert uow.programme(pid).version == 6  # each decision still wrote it, version-checked


async def test_a_decision_written_by_another_instance_makes_the_next_one_read_the_programme_and_pool_again():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    uow.programmes.items[pid].version += 1  # another instance committed a decision meanwhile
    uow.programmes = counted = CountedReads(uow.programmes)
    # Its write from the copy fails on the version, then it is decided from the store, in the same call.
    assert await handlers.add_candidate(enrolled(person("mentor", pid)), uow) != []
    assert counted.reads == 1 and uow.cache.loads == 2
    assert uow.programme(pid).version == 4


async def test_a_version_conflict_on_a_programme_read_from_the_store_is_not_retried_here():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    uow.cache.entries.clear()  # nothing at hand: the decision reads the programme

    async def another_instance_wrote(programme_id):  # between this decision's read and its write
        programme = await read(programme_id)
        uow.programmes.items[pid].version += 1
        return programme

    read, uow.programmes.get = uow.programmes.get, another_instance_wrote
    with pytest.raises(ConcurrentUpdate):  # the consumer's bounded retries (or HTTP's 409) take it
        await handlers.add_candidate(enrolled(person("mentor", pid)), uow)


async def test_a_mentor_taking_several_mentees_puts_its_pairs_on_one_index_page():
    # The pairs index pages by the pair id's first two hex digits (journal.pairs_index): one decision's
    # pairs share a random first byte, so a mentor's decision writes one page and one counts document.
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, mentor_capacity=3)
    for _ in range(3):
        await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    await handlers.add_candidate(enrolled(person("mentor", pid)), uow)
    made = [e for e in uow.events() if isinstance(e, PairCreated)]
    assert len(made) == 3
    assert len({str(e.pair_id)[:2] for e in made}) == 1
    assert all(e.pair_id.version == 4 for e in made)


async def test_a_decision_changes_its_copy_of_the_programme_never_the_one_kept_for_the_next():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, mentor_capacity=2)
    mentor, mentee = person("mentor", pid), person("mentee", pid)
    for c in (mentor, mentee):
        await handlers.add_candidate(enrolled(c), uow)
    kept = uow.cache.entries[pid].programme
    rules, policy, version = list(kept.rules), kept.policy, kept.version
    mine = uow.pools.written(pid)
    mine.set_rule(PairRule(mentor.participant_id, mentee.participant_id, "forbidden"), mentor, mentee)
    mine.rules.append(mine.rules[0])
    mine.policy, mine.pending_round_id, mine.version = Policy(mentor_capacity=5), pid, version + 1
    assert (kept.rules, kept.policy, kept.pending_round_id, kept.version) == (rules, policy, None, version)
    assert uow.pools.written(pid) == kept
