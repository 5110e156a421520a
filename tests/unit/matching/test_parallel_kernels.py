"""The round's loops split over threads (`parallel.py`) give what one thread gives: the certificate's
scan over taker ranges, and the listing's blocks written by several threads then moved together."""

import random

import numpy as np
import pytest

import matching.domain.candidates as candidates
import matching.domain.parallel as parallel
from matching.domain.pool import Pool
from matching.domain.scan_kernels import entering
from tests.unit.matching.builders import programme, random_person
from tests.unit.matching.test_listing_chunks import listing


def couples(rng: random.Random, top_value: int) -> tuple[int, int, np.ndarray, np.ndarray, np.ndarray]:
    """A random listing: takers, givers, each taker's first couple (`start`), each couple's giver and value."""
    takers, givers = rng.randint(1, 9), rng.randint(1, 4)
    start = np.concatenate([[0], np.cumsum([rng.randint(0, 12) for _ in range(takers)])]).astype(np.int64)
    giver = np.array([rng.randrange(givers) for _ in range(start[-1])], np.uint16)
    value = np.array([rng.randint(1, top_value) for _ in range(start[-1])], np.int16)
    return takers, givers, start, giver, value


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    monkeypatch.setattr(parallel, "PER_THREAD", 1)  # split however few couples there are


def test_the_scan_split_over_threads_is_the_scan_of_one_thread(monkeypatch):
    rng = random.Random(5)
    for threads in (2, 3, 4):
        monkeypatch.setattr(parallel, "THREADS", threads)
        for _ in range(20):
            takers, givers, start, giver, value = couples(rng, top_value=9)
            inside = np.flatnonzero([rng.random() < 0.2 for _ in range(start[-1])])
            q_t = np.array([rng.randint(0, 6) for _ in range(takers)], np.int64)
            q_g = np.array([rng.randint(0, 6) for _ in range(givers)], np.int64)
            args = (start, giver, value, q_t, q_g, 1, 2, inside, 3, 0)
            one, split = entering(*args), parallel.entering_all(*args)
            for a, b in zip(one[:3], split[:3], strict=True):
                assert a.tolist() == b.tolist()
            assert one[3] == split[3]


def test_the_takers_are_split_into_contiguous_ranges_of_about_as_many_couples():
    start = np.array([0, 5, 10, 10, 15, 20], np.int64)
    assert parallel.split(start, 2) == [(0, 2), (2, 5)]
    assert parallel.split(np.array([0], np.int64), 2) == []


def test_a_small_scan_stays_on_one_thread(monkeypatch):
    monkeypatch.setattr(parallel, "PER_THREAD", 12)
    assert parallel.split(np.array([0, 5, 10, 10, 15, 20], np.int64), 4) == [(0, 5)]


def test_the_listing_by_several_threads_lists_what_one_thread_lists(monkeypatch):
    rng = random.Random(8)
    prog = programme()
    people = [random_person(rng, rng.choice(["mentee", "mentee", "both"]), prog.programme_id) for _ in range(80)] + \
        [random_person(rng, "mentor", prog.programme_id) for _ in range(15)]
    monkeypatch.setattr(parallel, "THREADS", 1)
    one = listing(Pool(prog, people, []))
    assert len(one.value) > 150
    monkeypatch.setattr(candidates, "ROWS_PER_BLOCK", 5)  # many blocks, so each thread lists several
    for threads in (2, 3):
        monkeypatch.setattr(parallel, "THREADS", threads)
        split = listing(Pool(prog, people, []))
        for name in ("takers", "givers", "start", "giver", "value"):
            assert np.array_equal(getattr(one, name), getattr(split, name)), name
        for name in ("taker", "giver_bins", "giver_count"):
            assert np.array_equal(getattr(one.cuts, name), getattr(split.cuts, name)), name


def test_moving_a_column_down_over_itself_keeps_its_order():
    column = np.arange(10, dtype=np.int16)
    parallel.move_down(column, 4, 1, 6)
    assert column.tolist() == [0, 4, 5, 6, 7, 8, 9, 7, 8, 9]


def test_the_starting_couples_are_those_at_or_above_their_takers_or_givers_cut(monkeypatch):
    rng = random.Random(6)
    for threads in (1, 2, 3):
        monkeypatch.setattr(parallel, "THREADS", threads)
        for _ in range(20):
            takers, givers, start, giver, value = couples(rng, top_value=60)
            taker_cut = np.array([rng.randint(0, 60) for _ in range(takers)], np.int64)  # a value
            giver_cut = np.array([rng.randint(0, 6) for _ in range(givers)], np.int64)  # a bin of 10 values
            got = parallel.at_or_above_all(start, giver, value, 10, taker_cut, giver_cut)
            plain = [j for i in range(takers) for j in range(start[i], start[i + 1])
                     if value[j] >= taker_cut[i] or value[j] // 10 >= giver_cut[giver[j]]]
            assert got.tolist() == plain
