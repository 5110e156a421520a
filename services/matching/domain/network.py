"""Capacity-aware assignment as a min-cost flow, and node potentials that certify it.

Solved by an auction (`assignment.py`) when every left node supplies one unit, else (or when the
auction's result is not certified) by OR-Tools' min-cost flow. Either way the flow is accepted only
with potentials under which every residual arc has a non-negative reduced cost (`Solved.certified`
for the auction; OR-Tools reports optimality itself).

Left nodes supply units (a mentee: 1), right nodes absorb them up to a capacity (a mentor's seats),
a couple is an arc left -> right of cost -value, and every unit may instead go straight to the sink
("unused", cost 0). Must-match coverage is part of the cost: a must-match left node pays `penalty`
when none of its units is used, a must-match right node earns `bonus` for its first unit; both are
larger than any total value, so coverage comes first, then value.

The potentials are shortest distances in the residual network of the optimal flow: every residual
arc then has a non-negative reduced cost, and an arc outside the network whose reduced cost is
non-negative could not have improved the optimum (LP duality).
"""

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.domain.assignment import assign
from matching.domain.memory import trim
from matching.domain.shortest_paths import from_sink

AUCTION_FIRST = True  # False: OR-Tools alone (the benchmarks' baseline, "a min-cost flow over the feasible couples")


@dataclass
class Network:
    supply: np.ndarray  # per left node
    capacity: np.ndarray  # per right node
    penalty: np.ndarray  # per left node: cost when none of its units is used
    bonus: np.ndarray  # per right node: gain for its first unit
    tail: np.ndarray  # couple arcs: left node
    head: np.ndarray  # couple arcs: right node
    value: np.ndarray
    start_price: np.ndarray | None = None  # per right node: a guess (the previous pass's) for the auction

    def solve(self) -> "Solved":
        """The optimal flow: by the auction (`assignment.py`) when every left node supplies one unit
        and its result is certified by its own potentials, else by OR-Tools."""
        arcs, keep = self._arcs()
        if AUCTION_FIRST and (self.supply == 1).all():
            used = assign(len(self.supply), self.tail, self.head, self.value, self.capacity, self.penalty, self.bonus,
                          self.start_price)
            if used is not None:
                solved = self._from_assignment(arcs, keep, used)
                if solved.certified():
                    return solved
        return self._by_flow_solver(arcs, keep)

    def _arcs(self) -> tuple["Arcs", np.ndarray]:
        """The flow network's arcs with a capacity (couples first, then each left node's unused units
        to the sink, then each right node's first unit and its other units to the sink), and which
        arcs of that layout have one (`keep`)."""
        n_l, n_r = len(self.supply), len(self.capacity)
        sink = n_l + n_r
        ones = self.supply == 1
        # Unused units: the last one of a left node carries its penalty (costs rise, so it goes last).
        free_t = np.arange(n_l)
        tails = [self.tail, free_t[~ones], free_t, n_l + np.arange(n_r), n_l + np.arange(n_r)]
        heads = [n_l + self.head, np.full((~ones).sum(), sink), np.full(n_l, sink), np.full(n_r, sink),
                 np.full(n_r, sink)]
        caps = [np.ones(len(self.tail)), self.supply[~ones] - 1, np.ones(n_l), np.ones(n_r), self.capacity - 1]
        costs = [-self.value, np.zeros((~ones).sum()), self.penalty, -self.bonus, np.zeros(n_r)]
        arcs = Arcs(*(np.concatenate(x).astype(np.int64) for x in (tails, heads, caps, costs)))
        keep = arcs.capacity > 0
        return Arcs(arcs.tail[keep], arcs.head[keep], arcs.capacity[keep], arcs.cost[keep]), keep

    def _from_assignment(self, arcs: "Arcs", keep: np.ndarray, used: np.ndarray) -> "Solved":
        """The flow of an assignment (every left node supplying one unit, so `_arcs` laid out no
        extra units) on the network's arcs."""
        n_l, n_r = len(self.supply), len(self.capacity)
        matched = np.bincount(self.tail, weights=used, minlength=n_l).astype(np.int64)
        seats = np.bincount(self.head, weights=used, minlength=n_r).astype(np.int64)
        first = np.minimum(seats, 1)
        flows = np.concatenate([used, 1 - matched, first, seats - first])[keep]
        return Solved(self, arcs, flows, used, int((arcs.cost * flows).sum()))

    def _by_flow_solver(self, arcs: "Arcs", keep: np.ndarray) -> "Solved":
        sink = len(self.supply) + len(self.capacity)
        couple = np.flatnonzero(keep[: len(self.tail)])
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(arcs.tail.astype(np.int32), arcs.head.astype(np.int32),
                                                  arcs.capacity, arcs.cost)
        flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32),
                                np.concatenate([self.supply, np.zeros(len(self.capacity)),
                                                [-self.supply.sum()]]).astype(np.int64))
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow ended with status {status}")
        flows = flow.flows(np.arange(len(arcs.tail), dtype=np.int32))
        used = np.zeros(len(self.tail), np.int64)
        used[couple] = flows[: len(couple)]
        cost = int(flow.optimal_cost())
        del flow
        trim()  # the solver's graph (~0.3 GB at a million arcs) goes back to the system, not to malloc's arenas
        return Solved(self, arcs, flows, used, cost)


@dataclass
class Arcs:
    tail: np.ndarray
    head: np.ndarray
    capacity: np.ndarray
    cost: np.ndarray


@dataclass
class Solved:
    network: Network
    arcs: Arcs
    flows: np.ndarray
    used: np.ndarray  # flow on each couple arc (0 or 1)
    cost: int
    _potential: np.ndarray | None = None

    @property
    def potential(self) -> np.ndarray:
        """Per node (left nodes, then right nodes, then the sink)."""
        if self._potential is None:
            self._potential = potentials(self.arcs, self.flows, len(self.network.supply) +
                                         len(self.network.capacity) + 1)
        return self._potential

    def certified(self) -> bool:
        """Every residual arc at a non-negative reduced cost under the potentials: the flow is
        optimal (LP duality), whoever computed it."""
        try:
            p = self.potential
        except RuntimeError:  # a negative cycle: not optimal
            return False
        a = self.arcs
        reduced = a.cost + p[a.tail] - p[a.head]
        return bool((reduced[self.flows < a.capacity] >= 0).all() and (reduced[self.flows > 0] <= 0).all())

    def reduced_cost(self, tail: np.ndarray, head: np.ndarray, value: np.ndarray) -> np.ndarray:
        """Reduced cost of couple arcs left `tail` -> right `head` not in the network (>= 0: useless)."""
        p, n_l = self.potential, len(self.network.supply)
        return -value + p[tail] - p[n_l + head]


def potentials(arcs: Arcs, flows: np.ndarray, nodes: int) -> np.ndarray:
    """Shortest distances from the sink (the last node) over the residual arcs: the optimal
    potentials that price each saturated mentor highest (as high as an unmatched mentee in the
    network bids for it), hence certify the most absent couples. Nodes the sink cannot reach get
    the lowest potential their own residual arcs allow (a mentor with a free seat: price 0).
    Label-correcting (`shortest_paths.py`): a node is re-examined only when its distance fell."""
    forward = flows < arcs.capacity
    backward = flows > 0
    tail = np.concatenate([arcs.tail[forward], arcs.head[backward]])
    head = np.concatenate([arcs.head[forward], arcs.tail[backward]])
    cost = np.concatenate([arcs.cost[forward], -arcs.cost[backward]])
    order = np.argsort(tail, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    start = np.searchsorted(tail, np.arange(nodes + 1))
    unreached = np.iinfo(np.int64).max // 4
    dist = from_sink(start, head, cost, nodes, unreached)
    if dist is None:
        raise RuntimeError("negative cycle in the residual network: the flow was not optimal")
    lost = dist == unreached
    if lost.any():
        # Arcs only lead from unreached nodes to reached ones (or among themselves): each takes the
        # smallest value that keeps its arcs' reduced costs non-negative.
        dist[lost] = -unreached
        rows = np.flatnonzero(lost[tail])
        for _ in range(nodes + 1):
            bound = np.full(nodes, -unreached, np.int64)
            np.maximum.at(bound, tail[rows], dist[head[rows]] - cost[rows])
            raised = lost & (bound > dist)
            if not raised.any():
                break
            dist[raised] = bound[raised]
        dist[lost & (dist == -unreached)] = 0
    return dist
