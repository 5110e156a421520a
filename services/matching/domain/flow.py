"""Capacity-aware assignment as a min-cost flow, and the node potentials that certify it.

Network: every mentee supplies one unit; it flows to a mentor (cost -value) or straight to the sink
(cost 0, unmatched); each mentor passes at most its capacity to the sink.
"""

import numpy as np
from ortools.graph.python import min_cost_flow


def solve_flow(mentee: np.ndarray, mentor: np.ndarray, value: np.ndarray, capacity: np.ndarray,
               mentees: int) -> np.ndarray:
    """Indices of the edges carrying flow in a maximum-value assignment."""
    n_m = len(capacity)
    if mentees == 0 or len(mentee) == 0:
        return np.zeros(0, dtype=np.int64)
    sink = mentees + n_m
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([mentee, mentees + np.arange(n_m), np.arange(mentees)]).astype(np.int32),
        np.concatenate([mentees + mentor, np.full(n_m, sink), np.full(mentees, sink)]).astype(np.int32),
        np.concatenate([np.ones(len(mentee)), capacity, np.ones(mentees)]).astype(np.int64),
        np.concatenate([-value, np.zeros(n_m + mentees, dtype=np.int64)]).astype(np.int64),
    )
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32),
                            np.concatenate([np.ones(mentees), np.zeros(n_m), [-mentees]]).astype(np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return np.flatnonzero(flow.flows(np.arange(len(mentee), dtype=np.int32)) > 0)


def potentials(mentee: np.ndarray, mentor: np.ndarray, value: np.ndarray, used: np.ndarray, mentees: int,
               mentors: int) -> tuple[np.ndarray, np.ndarray]:
    """Shortest distances from the sink in the residual network of an optimal flow (Bellman-Ford,
    one vectorised relaxation of every arc per pass). A couple (i, j) outside the network could
    improve the optimum only if value(i, j) > pi_e[i] - pi_m[j]."""
    if len(mentee) == 0:
        return np.zeros(mentees), np.zeros(mentors)
    matched_to = np.full(mentees, -1)
    matched_to[mentee[used]] = mentor[used]
    matched_value = np.zeros(mentees)
    matched_value[mentee[used]] = value[used]
    matched = matched_to >= 0
    free = np.ones(len(mentee), dtype=bool)
    free[used] = False
    order = np.argsort(mentor[free], kind="stable")
    f_e, f_m, f_v = mentee[free][order], mentor[free][order], value[free][order].astype(np.float64)
    starts = np.flatnonzero(np.r_[True, f_m[1:] != f_m[:-1]]) if len(f_m) else np.zeros(0, dtype=np.int64)
    start_m = np.zeros(mentors, dtype=bool)
    start_m[mentor[used]] = True  # the sink reaches every mentor with flow at cost 0
    pi_m = np.where(start_m, 0.0, np.inf)
    pi_e = np.zeros(mentees)
    for _ in range(mentees + mentors + 1):
        # A matched mentee is reached back through its own edge; an unmatched one from the sink.
        pi_e = np.where(matched, pi_m[np.maximum(matched_to, 0)] + matched_value, 0.0)
        best = np.minimum.reduceat(pi_e[f_e] - f_v, starts) if len(starts) else np.zeros(0)
        relaxed = pi_m.copy()
        np.minimum.at(relaxed, f_m[starts], best)
        if np.array_equal(relaxed, pi_m):
            break
        pi_m = relaxed
    return pi_e, np.where(np.isinf(pi_m), 0.0, pi_m)
