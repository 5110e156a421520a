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
                                     np.flatnonzero(seats[rows] > 0), np.zeros(0, np.int64), rows, top_k=3)
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


def test_what_the_listing_counts_for_the_first_network_is_what_a_scan_of_its_couples_gives():
    rng = random.Random(12)
    prog = programme()
    people = [random_person(rng, rng.choice(["mentee", "mentee", "both"]), prog.programme_id) for _ in range(90)] + \
        [random_person(rng, "mentor", prog.programme_id) for _ in range(12)]
    listed = listing(Pool(prog, people, []))
    assert listed.cuts is not None and len(listed.value) > 150
    counted = listed.cuts
    listed.cuts = None  # the plain scans of the stored couples
    assert counted.giver_count.tolist() == listed.giver_counts().tolist()
    assert counted.giver_count.sum() == len(listed.value)
    listed.initial(counted.top_k, 8, np.ones(len(listed.takers) + len(listed.givers), np.int64))
    for name in ("taker", "giver_bins", "giver_count"):
        assert np.array_equal(getattr(counted, name), getattr(listed.cuts, name)), name
    assert counted.taker.any() and counted.giver_bins.any()
