"""A programme's pool stays in memory between decisions, confirmed by the programme document's
version: an enrollment or a withdrawal costs its own rows, never a reload of the whole pool; a
version written elsewhere makes the next decision read the pool again."""

import numpy as np

from matching import handlers
from matching.domain.pool import Pool
from shared.contracts import PairCreated
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


async def test_a_decision_written_by_another_instance_makes_the_next_one_read_the_pool_again():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    uow.programmes.items[pid].version += 1  # another instance committed a decision meanwhile
    assert await handlers.add_candidate(enrolled(person("mentor", pid)), uow) != []
    assert uow.cache.loads == 2
