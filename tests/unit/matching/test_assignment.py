"""The exact auction (`assignment.py`) against OR-Tools' min-cost flow on the same networks: when it
claims an assignment, that assignment is worth the flow's optimum; a network's solve is optimal
whichever solver decided; and the certificate that guards the auction's result rejects a flow
that is not optimal."""

import numpy as np
import pytest

from matching.domain import assignment, network
from matching.domain.network import Network


def random_network(seed: int) -> Network:
    """Few distinct values (ties everywhere, as real scores have), must-match takers and givers,
    capacities 1-4, more takers than seats on some seeds and fewer on others."""
    rng = np.random.default_rng(seed)
    takers, givers = int(rng.integers(2, 80)), int(rng.integers(1, 20))
    pairs = {(int(t), int(g)) for t, g in zip(rng.integers(0, takers, 4 * takers), rng.integers(0, givers, 4 * takers),
                                                strict=True)}
    tail, head = (np.array(column, np.int64) for column in zip(*sorted(pairs), strict=True))
    value = rng.choice([1, 2, 5, 40, 41, 500, 1001], len(tail)).astype(np.int64)
    capacity = rng.integers(1, 5, givers).astype(np.int64)
    bonus = 2 * 1003 * (takers + givers + 1)  # the rounds' encoding: coverage first
    penalty = np.where(rng.random(takers) < 0.15, bonus, 0).astype(np.int64)
    giver_bonus = np.where(rng.random(givers) < 0.2, bonus, 0).astype(np.int64)
    return Network(np.ones(takers, np.int64), capacity, penalty, giver_bonus, tail, head, value)


def flow_cost(net: Network) -> int:
    arcs, keep = net._arcs()
    return net._by_flow_solver(arcs, keep).cost


@pytest.mark.parametrize("block", range(4))
def test_a_claimed_assignment_is_worth_the_flow_optimum(block):
    claimed = 0
    for seed in range(50 * block, 50 * block + 50):
        net = random_network(seed)
        used = assignment.assign(len(net.supply), net.tail, net.head, net.value, net.capacity, net.penalty, net.bonus)
        if used is None:
            continue
        claimed += 1
        arcs, keep = net._arcs()
        solved = net._from_assignment(arcs, keep, used)
        assert np.bincount(net.head, weights=used, minlength=len(net.capacity)).max() <= net.capacity.max()
        assert (np.bincount(net.tail, weights=used, minlength=len(net.supply)) <= 1).all()
        assert solved.cost == flow_cost(net), seed
        assert solved.certified(), seed
    assert claimed >= 45  # it decides nearly every network; the flow solver is the exception


@pytest.mark.parametrize("seed", range(40))
def test_a_solve_is_optimal_whichever_solver_decided(seed):
    net = random_network(1000 + seed)
    solved = net.solve()
    assert solved.cost == flow_cost(net)
    assert (solved.used <= 1).all()


def test_a_flow_that_is_not_optimal_is_not_certified():
    # two takers, two single-seat givers: crossing (0->1, 1->0) is worth 2, the straight pairs 20
    net = Network(np.ones(2, np.int64), np.ones(2, np.int64), np.zeros(2, np.int64), np.zeros(2, np.int64),
                  np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([10, 1, 1, 10]))
    arcs, keep = net._arcs()
    assert net._from_assignment(arcs, keep, np.array([1, 0, 0, 1])).certified()
    assert not net._from_assignment(arcs, keep, np.array([0, 1, 1, 0])).certified()
    assert not net._from_assignment(arcs, keep, np.array([1, 0, 0, 0])).certified()  # a taker left out for nothing


def test_the_flow_solver_decides_when_the_auction_runs_out_of_bids(monkeypatch):
    net = random_network(7)
    monkeypatch.setattr(assignment, "BIDS_PER_TAKER", 0)
    assert assignment.assign(len(net.supply), net.tail, net.head, net.value, net.capacity, net.penalty,
                             net.bonus) is None
    calls = []
    solver = Network._by_flow_solver
    monkeypatch.setattr(Network, "_by_flow_solver", lambda self, *a: calls.append(1) or solver(self, *a))
    assert net.solve().cost == flow_cost(net)
    assert calls == [1, 1]  # the solve's, then the reference's


def test_values_too_large_for_its_integers_go_to_the_flow_solver():
    net = random_network(3)
    huge = net.penalty.copy()
    huge[0] = 1 << 50
    assert assignment.assign(len(net.supply), net.tail, net.head, net.value, net.capacity, huge, net.bonus) is None


def test_the_benchmarks_baseline_can_switch_the_auction_off(monkeypatch):
    net = random_network(11)
    monkeypatch.setattr(network, "AUCTION_FIRST", False)
    monkeypatch.setattr(network, "assign", lambda *a: pytest.fail("the auction ran"))
    assert net.solve().cost == flow_cost(net)


@pytest.mark.parametrize("block", range(2))
def test_from_any_starting_prices_a_claimed_assignment_is_worth_the_flow_optimum(block):
    """Warm starts (the previous pass's prices) may be anything: too high, too low, zero."""
    claimed = 0
    for seed in range(500 + 40 * block, 540 + 40 * block):
        net = random_network(seed)
        rng = np.random.default_rng(seed)
        guess = rng.choice([0, 3, 40, 800, 5000], len(net.capacity)).astype(np.int64)
        used = assignment.assign(len(net.supply), net.tail, net.head, net.value, net.capacity, net.penalty, net.bonus,
                                 guess)
        if used is None:
            continue
        claimed += 1
        arcs, keep = net._arcs()
        assert net._from_assignment(arcs, keep, used).cost == flow_cost(net), seed
    assert claimed >= 36
