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


def test_the_givers_couple_counts_from_the_listings_histograms_are_the_scans():
    rng = random.Random(12)
    prog = programme()
    people = [random_person(rng, rng.choice(["mentee", "mentee", "both"]), prog.programme_id) for _ in range(90)] + \
        [random_person(rng, "mentor", prog.programme_id) for _ in range(12)]
    listed = listing(Pool(prog, people, []))
    assert listed.bins is not None and len(listed.value) > 150
    from_bins = listed.giver_counts()
    listed.bins = None  # the plain count: one pass over the stored couples
    assert from_bins.tolist() == listed.giver_counts().tolist()
    assert from_bins.sum() == len(listed.value)
