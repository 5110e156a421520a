"""An independent exact optimum of a round, for property tests: every feasible couple (by the
scalar reference rules) as a 0/1 variable of a MILP solved by scipy's HiGHS, each `both`
participant free to mentor or to be mentored within one pair, must-match coverage counted on
whichever side. Lexicographic in two solves: most must-match participants covered, then, with
that coverage required, the highest total value."""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, hstack, vstack

from matching.domain.model import Candidate, Pair
from matching.domain.programme import Programme
from tests.unit.matching import reference


@dataclass
class Optimum:
    must_matched: int
    objective: int
    couples: int


def optimum(programme: Programme, people: list[Candidate], pairs: list[Pair]) -> Optimum:
    policy = programme.policy
    active = [c for c in people if not c.withdrawn]
    live = [p for p in pairs if p.status == "active"]
    excluded = {(p.mentor_id, p.mentee_id) for p in pairs if p.status != "active"}
    excluded |= {(b, a) for a, b in excluded}
    excluded |= {(r.mentor_id, r.mentee_id) for r in programme.rules if r.kind == "forbidden"}
    seats = {}
    for c in active:  # what each person may still take on, after the pairs already made
        as_mentor = sum(p.mentor_id == c.participant_id for p in live)
        in_pair = any(c.participant_id in (p.mentor_id, p.mentee_id) for p in live)
        if c.role == "mentor":
            seats[c.participant_id] = (c.capacity or policy.mentor_capacity) - as_mentor
        else:
            seats[c.participant_id] = 0 if in_pair else 1
    free = [c for c in active if seats[c.participant_id] > 0]
    index = {c.participant_id: i for i, c in enumerate(free)}
    couples = []
    for g in free:
        for t in free:
            if g is t or not g.can_mentor() or not t.can_be_mentored():
                continue
            if g.role == "both" and t.role == "both" and (g.seniority_level, g.participant_id) > \
                    (t.seniority_level, t.participant_id):
                continue  # a cross pair is one couple, labelled with the junior as mentor
            if (g.participant_id, t.participant_id) in excluded or not reference.feasible(g, t, policy):
                continue
            couples.append((index[g.participant_id], index[t.participant_id], reference.utility(g, t, policy)))
    if not couples:
        return Optimum(0, 0, 0)
    n, m = len(free), len(couples)
    must = [i for i, c in enumerate(free) if c.must_match]
    g, t, w = (np.array(x) for x in zip(*couples, strict=True))
    k = np.arange(m)
    degree = coo_matrix((np.ones(2 * m), (np.r_[g, t], np.r_[k, k])), shape=(n, m)).tocsr()
    capacity = np.array([seats[c.participant_id] for c in free], float)
    # Variables: x (couples) then y (must-match person covered); y_v <= sum of its couples.
    covered = coo_matrix((np.ones(len(must)), (np.arange(len(must)), np.arange(len(must)))), (len(must), len(must)))
    a = vstack([hstack([degree, coo_matrix((n, len(must)))]), hstack([-degree[must], covered])]).tocsr()
    limits = LinearConstraint(a, -np.inf, np.r_[capacity, np.zeros(len(must))])
    first = milp(np.r_[np.zeros(m), -np.ones(len(must))], constraints=[limits], integrality=np.ones(m + len(must)),
                 bounds=Bounds(0, 1))
    best_must = round(-first.fun)
    keep = LinearConstraint(np.r_[np.zeros(m), np.ones(len(must))][None, :], best_must, np.inf)
    second = milp(np.r_[-w.astype(float), np.zeros(len(must))], constraints=[limits, keep],
                  integrality=np.ones(m + len(must)), bounds=Bounds(0, 1), options={"mip_rel_gap": 0})
    return Optimum(best_must, round(-second.fun), m)
