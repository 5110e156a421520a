"""The first network is priced by an auction (`auction.py`), not solved: the auction's own result
keeps its seats and its approximate prices, a price war stops at its budget, and however poor the
guess, the round still ends at the optimum an independent MILP finds (only exact solves decide)."""

import random

import numpy as np
import pytest

from matching.domain import auction, exact
from matching.domain.pool import Pool
from matching.domain.rounds import plan_round
from tests.unit.matching.builders import counted_calls, programme, random_person
from tests.unit.matching.milp import optimum


def network(rng: np.random.Generator, takers: int, givers: int, couples: int):
    pairs = {(int(t), int(g)) for t, g in zip(rng.integers(0, takers, couples), rng.integers(0, givers, couples),
                                                strict=True)}
    tail, head = (np.array(column, np.int64) for column in zip(*sorted(pairs), strict=True))
    value = rng.integers(1, 1000, len(tail)).astype(np.int64)
    return tail, head, value


@pytest.mark.parametrize("seed", range(5))
def test_the_auction_keeps_seats_and_leaves_each_taker_within_eps_of_its_best_couple(seed):
    rng = np.random.default_rng(seed)
    takers, givers = 300, 40
    tail, head, value = network(rng, takers, givers, 2000)
    capacity = rng.integers(1, 4, givers).astype(np.int64)
    penalty = np.where(rng.random(takers) < 0.2, 500, 0).astype(np.int64)
    order = np.argsort(tail, kind="stable")
    start = np.searchsorted(tail[order], np.arange(takers + 1))
    owner, price, bids = auction.auction(start, head[order], value[order], capacity, -penalty, auction.EPS,
                                         10**9)
    assert bids < 10**9  # ended by itself
    held = np.bincount(owner[owner >= 0], minlength=givers)
    assert (held <= capacity).all()
    assert (price[held < capacity] == 0).all()  # a giver with a free seat costs nothing
    net = value - price[head]
    best = np.full(takers, -(1 << 40))
    np.maximum.at(best, tail, net)
    best = np.maximum(best, -penalty)  # keeping out is worth its outside option
    mine = owner[tail] == head
    got = np.full(takers, -(1 << 40))
    got[tail[mine]] = net[mine]
    got[owner < 0] = -penalty[owner < 0]
    assert (got >= best - auction.EPS).all()
    assert mine.sum() == (owner >= 0).sum()  # each seat taken through one of the taker's own couples


def test_a_price_war_stops_at_the_budget():
    # three must-match takers, two seats they value alike: each outbids the others by a little at
    # a time, up to its penalty
    start = np.array([0, 2, 4, 6])
    giver = np.array([0, 1, 0, 1, 0, 1])
    value = np.full(6, 10, np.int64)
    owner, price, bids = auction.auction(start, giver, value, np.ones(2, np.int64), np.full(3, -10**12), 1, 50)
    assert bids == 50
    assert (owner >= 0).sum() == 2 and (price > 0).all()


def test_a_giver_without_a_seat_is_never_bid_for():
    start = np.array([0, 2, 3])
    giver = np.array([0, 1, 1])
    value = np.array([50, 10, 10])
    owner, price, _ = auction.auction(start, giver, value, np.array([0, 2]), np.zeros(2, np.int64), 8, 100)
    assert owner.tolist() == [1, 1]  # both to the seated giver, though the other is worth more
    assert price[0] == 0 and price[1] > 0


def test_the_guess_prices_every_network_couple_out():
    rng = np.random.default_rng(7)
    tail, head, value = network(rng, 200, 30, 1500)
    held, taker_price, giver_price = auction.guess(tail, head, value, np.full(30, 2), np.zeros(200, np.int64))
    assert (taker_price[tail] + giver_price[head] >= value).all()  # what `_bring_in` reads: nothing here enters
    assert held.sum() <= 60


@pytest.mark.parametrize("seed", range(4))
def test_however_coarse_the_guess_the_round_is_the_milps_optimum(monkeypatch, seed):
    rng = random.Random(seed)
    prog = programme(mentor_capacity=2)
    people = ([random_person(rng, "mentee", prog.programme_id) for _ in range(14)]
              + [random_person(rng, "mentor", prog.programme_id) for _ in range(4)]
              + [random_person(rng, "both", prog.programme_id) for _ in range(4)])
    guesses = counted_calls(monkeypatch, exact.Problem, "_guess")
    monkeypatch.setattr(auction, "EPS", 400)  # prices far off: the certificate loop must still end exact
    plan = plan_round(Pool(prog, people, []))
    best = optimum(prog, people, [])
    assert guesses == [1]
    assert (plan.must_matched, plan.objective) == (best.must_matched, best.objective)
