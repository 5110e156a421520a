"""The sparse candidate graph and its exact capacity-aware solve (OR-Tools min-cost flow).

Each mentee keeps only its `top_k` most valuable feasible mentors, so the flow network stays small.
Pruning alone could miss the optimum, so the solve is certified: node potentials of the optimal
flow (shortest distances in its residual network) price every pruned couple, and any couple that
would improve the assignment is added back and the network solved again. When no pruned couple
prices in, the sparse optimum is the optimum of the complete graph (LP duality).
"""

from dataclasses import dataclass, replace

import numpy as np

from matching.domain.availability import compact
from matching.domain.flow import potentials, solve_flow
from matching.domain.programme import Policy
from matching.domain.scoring import SCALE, criteria, criteria_at, feasible, rule_masks, utility
from matching.domain.sides import Side

DEFAULT_TOP_K = 24
CHUNK = 256
SLACK = 60  # utility units (0.06 of score)
STORED_CELLS = 64_000_000  # values kept between passes up to this size (2 bytes each); else rescored


@dataclass
class Graph:
    mentee: np.ndarray
    mentor: np.ndarray
    utility: np.ndarray
    complementarity: np.ndarray
    availability: np.ndarray
    time_zone: np.ndarray

    def extended(self, other: "Graph") -> "Graph":
        return Graph(*(np.concatenate([a, b]) for a, b in zip(vars(self).values(), vars(other).values(),
                                                                strict=True)))


@dataclass
class Assignment:
    graph: Graph
    used: np.ndarray  # indices of the chosen edges
    passes: int  # solves until the certificate held


def must_match_bonus(mentees: int) -> int:
    """Worth more than any total score, so covering one more must-match mentee always wins."""
    return (SCALE + 1) * (mentees + 1)


def compacted(e: Side, m: Side) -> tuple[Side, Side]:
    e_bits, m_bits = compact(e.bits, m.bits, weighted=True)
    e_fits, m_fits = compact(e.fits, m.fits, weighted=False)
    return replace(e, bits=e_bits, fits=e_fits), replace(m, bits=m_bits, fits=m_fits)


def assign(e: Side, m: Side, policy: Policy, excluded: tuple[np.ndarray, np.ndarray],
           top_k: int | None = DEFAULT_TOP_K) -> Assignment:
    """Most must-match mentees covered, then the highest total utility, over all feasible couples."""
    e, m = compacted(e, m)
    stored = np.zeros((len(e), len(m)), np.uint16) if len(e) * len(m) <= STORED_CELLS else None
    parts = []
    for rows in _chunks(len(e)):
        value, crit = _score(e, m, rows, policy, excluded)
        if stored is not None:
            stored[rows] = value
        parts.append(_edges(value, crit, rows.start, top_k))
    graph = _join(parts)
    if stored is not None:
        stored[graph.mentee, graph.mentor] = 0  # already in the network: never added twice
    bonus = must_match_bonus(len(e)) * e.must.astype(np.int64)
    for passes in range(1, 1000):
        used = solve_flow(graph.mentee, graph.mentor, graph.utility + bonus[graph.mentee], m.capacity, len(e))
        pi_e, pi_m = potentials(graph.mentee, graph.mentor, graph.utility + bonus[graph.mentee], used,
                                len(e), len(m))
        missing = []
        for rows in _chunks(len(e)):
            value = stored[rows].astype(np.int64) if stored is not None else \
                _score(e, m, rows, policy, excluded)[0]
            # How much each couple would improve the optimum by entering (> 0: it must come in).
            # Near-misses (within SLACK) come too on the first pass, so one more pass usually
            # settles it; at most `top_k` per mentee and pass, so the network grows gently.
            margin = value + bonus[rows, None] - pi_e[rows, None] + pi_m[None, :]
            margin = np.where(value > 0, margin, -np.inf)
            prices_in = margin > (-SLACK if passes == 1 else 0)
            if not prices_in.any():
                continue
            if top_k is not None and top_k < margin.shape[1]:
                best = np.argpartition(-margin, top_k - 1, axis=1)[:, :top_k]
                keep = np.zeros_like(prices_in)
                np.put_along_axis(keep, best, True, axis=1)
                prices_in &= keep
            r, c = np.nonzero(prices_in)
            crit = criteria_at(e, m, r + rows.start, c)
            missing.append((r + rows.start, c, value[r, c], crit.complementarity, crit.availability, crit.time_zone))
        if not missing:
            return Assignment(graph, used, passes)
        added = _join(missing)
        if stored is not None:
            stored[added.mentee, added.mentor] = 0
        graph = graph.extended(added)
    raise RuntimeError("the certificate did not converge")


def _chunks(n: int):
    return (slice(s, min(s + CHUNK, n)) for s in range(0, n, CHUNK))


def _score(e: Side, m: Side, rows: slice, policy: Policy, excluded: tuple[np.ndarray, np.ndarray]):
    ok = feasible(rule_masks(e, m, rows, policy)) & (m.capacity > 0)[None, :]
    inside = (excluded[0] >= rows.start) & (excluded[0] < rows.stop)
    ok[excluded[0][inside] - rows.start, excluded[1][inside]] = False
    crit = criteria(e, m, rows)
    return np.where(ok, utility(crit.score(policy)), 0), crit


def _edges(value: np.ndarray, crit, start: int, top_k: int | None) -> tuple[np.ndarray, ...]:
    if top_k is not None and top_k < value.shape[1]:
        cols = np.argpartition(-value, top_k - 1, axis=1)[:, :top_k]
        r, c = np.repeat(np.arange(value.shape[0]), top_k), cols.ravel()
        keep = value[r, c] > 0
        r, c = r[keep], c[keep]
    else:
        r, c = np.nonzero(value)
    return _picked(value, crit, r, c, start)


def _picked(value: np.ndarray, crit, r: np.ndarray, c: np.ndarray, start: int) -> tuple[np.ndarray, ...]:
    return (r + start, c, value[r, c], crit.complementarity[r, c], crit.availability[r, c], crit.time_zone[r, c])


def _join(parts: list[tuple[np.ndarray, ...]]) -> Graph:
    if not parts:
        return Graph(*(np.zeros(0, t) for t in (np.int64, np.int64, np.int64, np.float32, np.float32, np.float32)))
    return Graph(*(np.concatenate(column) for column in zip(*parts, strict=True)))
