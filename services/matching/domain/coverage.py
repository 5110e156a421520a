"""How many must-match participants an assignment over the feasible couples can cover at most.

Coverage first, value second is encoded in the flow as a bonus per must-match participant covered.
A bonus above any total value makes that order hold by construction, but a cost range that wide
costs the cost-scaling solver a third of its time on every solve. The round therefore solves (and
certifies, over every feasible couple) with a bonus of a few couples' worth, then checks the
coverage it got against a bound on the most any assignment can cover: when they are equal, no
assignment covers more, and among those that cover as many none is worth more (value + bonus x
coverage is certified optimal), so the result is the lexicographic optimum; otherwise it solves
again with the full bonus.

The bounds: must-match participants with at least one feasible couple (`coverable`, free); in a
bipartite round, the exact maximum (`most_covered`): only couples with a must-match member can
cover anyone, so it is one small flow over those couples with no values at all.
"""

import numpy as np

from matching.domain.feasible import Feasible
from matching.domain.network import Network


def coverable(f: Feasible, must: np.ndarray) -> int:
    """Must-match participants with at least one feasible couple, on either side."""
    some = np.zeros(len(must), bool)
    some[f.takers[np.diff(f.start) > 0]] = True
    some[f.givers[f.giver_counts() > 0]] = True
    return int((some & must).sum())


def most_covered(f: Feasible, capacity: np.ndarray, must: np.ndarray) -> int:
    must_t, must_g = must[f.takers], must[f.givers]
    tails, heads = [], []
    for a, b, lo, hi in f.blocks():
        taker = f.per_couple(np.arange(len(f.takers)), a, b)
        giver = f.giver[lo:hi].astype(np.int64)
        keep = must_t[taker] | must_g[giver]
        tails.append(taker[keep])
        heads.append(giver[keep])
    tail = np.concatenate(tails) if tails else np.zeros(0, np.int64)
    head = np.concatenate(heads) if heads else np.zeros(0, np.int64)
    solved = Network(np.ones(len(f.takers), np.int64), capacity[f.givers], must_t.astype(np.int64),
                     must_g.astype(np.int64), tail, head, np.zeros(len(tail), np.int64)).solve()
    covered_t = np.zeros(len(f.takers), bool)
    covered_g = np.zeros(len(f.givers), bool)
    used = np.flatnonzero(solved.used)
    covered_t[tail[used]], covered_g[head[used]] = True, True
    return int((covered_t & must_t).sum() + (covered_g & must_g).sum())


def covered(taker: np.ndarray, giver: np.ndarray, must: np.ndarray) -> int:
    """Must-match participants among the members of these couples (round rows)."""
    members = np.zeros(len(must), bool)
    members[taker], members[giver] = True, True
    return int((members & must).sum())
