"""The sparse candidate graph and its exact capacity-aware solve (OR-Tools min-cost flow)."""

from dataclasses import dataclass, replace

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.domain.availability import compact
from matching.domain.model import Policy
from matching.domain.scoring import SCALE, criteria, feasible, rule_masks, utility
from matching.domain.sides import Side

DEFAULT_TOP_K = 32  # best mentors kept per mentee; the benchmark compares the result with the dense optimum
CHUNK = 256


@dataclass
class Graph:
    mentee: np.ndarray
    mentor: np.ndarray
    utility: np.ndarray
    complementarity: np.ndarray
    availability: np.ndarray
    time_zone: np.ndarray


def candidate_graph(e: Side, m: Side, policy: Policy, excluded: tuple[np.ndarray, np.ndarray],
                    top_k: int | None = DEFAULT_TOP_K) -> Graph:
    """Edges passing every hard rule, keeping each mentee's `top_k` most valuable (None keeps all)."""
    parts: list[tuple[np.ndarray, ...]] = []
    e, m = compacted(e, m)
    open_seat = m.capacity > 0
    for start in range(0, len(e), CHUNK):
        rows = slice(start, min(start + CHUNK, len(e)))
        ok = feasible(rule_masks(e, m, rows, policy)) & open_seat[None, :]
        inside = (excluded[0] >= rows.start) & (excluded[0] < rows.stop)
        ok[excluded[0][inside] - rows.start, excluded[1][inside]] = False
        crit = criteria(e, m, rows)
        value = np.where(ok, utility(crit.score(policy)), 0)
        if top_k is not None and top_k < len(m):
            cols = np.argpartition(-value, top_k - 1, axis=1)[:, :top_k]
            r = np.repeat(np.arange(value.shape[0]), top_k)
            c = cols.ravel()
        else:
            r, c = np.nonzero(value)
        keep = value[r, c] > 0
        r, c = r[keep], c[keep]
        parts.append((r + start, c, value[r, c], crit.complementarity[r, c], crit.availability[r, c],
                      crit.time_zone[r, c]))
    if not parts:
        return Graph(*(np.zeros(0, dtype=t) for t in (np.int64, np.int64, np.int64, np.float32, np.float32,
                                                       np.float32)))
    return Graph(*(np.concatenate(column) for column in zip(*parts, strict=True)))


def compacted(e: Side, m: Side) -> tuple[Side, Side]:
    e_bits, m_bits = compact(e.bits, m.bits, weighted=True)
    e_fits, m_fits = compact(e.fits, m.fits, weighted=False)
    return replace(e, bits=e_bits, fits=e_fits), replace(m, bits=m_bits, fits=m_fits)


def must_match_bonus(mentees: int) -> int:
    """Worth more than any total score, so covering one more must-match mentee always wins."""
    return (SCALE + 1) * (mentees + 1)


def solve(graph: Graph, must: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Indices of the chosen edges: most must-match mentees covered, then the highest total utility."""
    n_e, n_m = len(must), len(capacity)
    if n_e == 0 or len(graph.mentee) == 0:
        return np.zeros(0, dtype=np.int64)
    sink = n_e + n_m
    edges = len(graph.mentee)
    cost = -(graph.utility + must_match_bonus(n_e) * must[graph.mentee].astype(np.int64))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([graph.mentee, n_e + np.arange(n_m), np.arange(n_e)]).astype(np.int32),
        np.concatenate([n_e + graph.mentor, np.full(n_m, sink), np.full(n_e, sink)]).astype(np.int32),
        np.concatenate([np.ones(edges), capacity, np.ones(n_e)]).astype(np.int64),
        np.concatenate([cost, np.zeros(n_m + n_e, dtype=np.int64)]).astype(np.int64),
    )
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32),
                            np.concatenate([np.ones(n_e), np.zeros(n_m), [-n_e]]).astype(np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return np.flatnonzero(flow.flows(np.arange(edges, dtype=np.int32)) > 0)
