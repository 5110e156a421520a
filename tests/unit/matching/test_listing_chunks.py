"""Candidate listing in blocks of takers (their compatible bucket pairs found block by block, the
columns filled in place) lists exactly the same couples with the same values as one block."""

import random

import numpy as np

import matching.domain.candidates as candidates
from matching.domain.pool import Pool
from tests.unit.matching.builders import programme, random_person


def listing(pool: Pool):
    seats, free = pool.seats(), pool.free_takers()
    rows = np.arange(len(pool.roster))
    people = pool.roster.people
    generator = candidates.Generator(people, pool.codes, pool.policy, np.flatnonzero(free[rows]),
                                     np.flatnonzero(seats[rows] > 0), np.zeros(0, np.int64), rows)
    return generator.all()


def test_small_chunks_list_the_same_couples_with_the_same_values(monkeypatch):
    rng = random.Random(3)
    prog = programme()
    people = [random_person(rng, "mentee", prog.programme_id) for _ in range(60)] + \
        [random_person(rng, "mentor", prog.programme_id) for _ in range(12)]
    whole = listing(Pool(prog, people, []))
    monkeypatch.setattr(candidates, "ROWS_PER_BLOCK", 7)
    chunked = listing(Pool(prog, people, []))
    assert len(whole.value) > 100
    for name in ("takers", "givers", "start", "giver", "value"):
        assert np.array_equal(getattr(whole, name), getattr(chunked, name)), name
