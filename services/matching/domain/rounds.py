"""A matching round: the optimal assignment of a programme's free participants.

Pinned couples take their seats first (a pin that breaks a hard rule stands only with its recorded
override). Everyone else still free is assigned exactly (`candidates.py` lists and scores the
feasible couples, `exact.py` solves and certifies), each `both` participant free to mentor or to
be mentored.
"""

from dataclasses import dataclass, field

import numpy as np

from matching.domain.candidates import Generator
from matching.domain.couples import must_match_bonus
from matching.domain.exact import Problem
from matching.domain.explain import proposals, reasons
from matching.domain.model import Proposal, Unmatched
from matching.domain.pool import Pool
from matching.domain.rules import broken_rules

TOP_K = 8  # each taker's best couples in the first network
EXTRA = 8  # each giver's best (capacity + EXTRA) takers in the first network


@dataclass
class RoundPlan:
    proposals: list[Proposal] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    objective: int = 0  # integer utility of the optimised (unpinned) proposals
    must_matched: int = 0  # must-match participants covered, on whichever side
    passes: int = 0  # network solves until no couple outside could improve the result
    nodes: int = 0  # branch-and-bound nodes (1: the relaxation was integral)
    couples: int = 0  # feasible couples listed and scored


def plan_round(pool: Pool) -> RoundPlan:
    plan = RoundPlan()
    seats, free = pool.seats(), pool.free_takers()
    _pin(pool, seats, free, plan)
    rows = _by_id(pool, np.flatnonzero(free | (seats > 0)))  # the same pool in any order gives the same round
    if not len(rows):
        return plan
    people = pool.roster.people.take(rows)
    people.capacity = np.where(seats[rows] > 0, seats[rows], 1)
    takers, givers = np.flatnonzero(free[rows]), np.flatnonzero(seats[rows] > 0)
    # the generator's own arrays (buckets, availability table, giver columns) go once it has listed
    feasible = Generator(people, pool.codes, pool.policy, takers, givers, _excluded(pool, rows), _rank(pool, rows),
                         TOP_K).all()
    plan.couples = len(feasible.value)
    problem = Problem(feasible, feasible.initial(TOP_K, EXTRA, people.capacity), people.capacity, people.must,
                      people.both, must_match_bonus(len(rows)))
    result = problem.solve()
    plan.objective, plan.passes, plan.nodes = int(result.value.sum()), result.passes, result.nodes
    mentees, mentors = rows[result.taker], rows[result.giver]
    plan.proposals += proposals(pool, mentees, mentors)
    covered = np.zeros(len(pool.roster), bool)
    covered[mentees], covered[mentors] = True, True
    plan.must_matched = int((covered & pool.roster.people.must).sum())
    plan.unmatched = _unmatched(pool, rows, takers, givers, feasible, covered)
    return plan


def _pin(pool: Pool, seats: np.ndarray, free: np.ndarray, plan: RoundPlan) -> None:
    """Pinned couples are a manager's decision: they take their seats before the solve."""
    row_of, both = pool.roster.row_of, pool.roster.people.both
    mentees, mentors, overrides = [], [], []
    for rule in pool.programme.rules:
        mentor, mentee = row_of.get(rule.mentor_id), row_of.get(rule.mentee_id)
        if rule.kind != "pinned" or mentor is None or mentee is None or not free[mentee] or seats[mentor] < 1:
            continue
        if broken_rules(pool, mentor, mentee) and rule.override is None:
            continue  # the policy changed since the pin was set: it no longer stands on its own
        seats[mentor] -= 1
        free[mentee] = False
        seats[mentee] = 0 if both[mentee] else seats[mentee]
        free[mentor] = free[mentor] and not both[mentor]
        mentees.append(mentee)
        mentors.append(mentor)
        overrides.append(rule.override)
    plan.proposals += proposals(pool, np.array(mentees, np.int64), np.array(mentors, np.int64), pinned=True,
                                overrides=overrides)


def _excluded(pool: Pool, rows: np.ndarray) -> np.ndarray:
    """(giver, taker) couples never to propose, as giver_row * len(rows) + taker_row."""
    excluded = pool.excluded()
    if not excluded:
        return np.zeros(0, np.int64)
    local = {pool.roster.candidates[r].participant_id: i for i, r in enumerate(rows.tolist())}
    keys = [local[m] * len(rows) + local[e] for m, e in excluded if m in local and e in local]
    return np.array(keys, np.int64)


def _id_keys(pool: Pool, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    candidates = pool.roster.candidates
    ids = np.frombuffer(b"".join([candidates[r].participant_id.bytes for r in rows.tolist()]), ">u8")
    return ids[0::2].astype(np.uint64), ids[1::2].astype(np.uint64)  # the id's high and low 64 bits


def _by_id(pool: Pool, rows: np.ndarray) -> np.ndarray:
    high, low = _id_keys(pool, rows)
    return rows[np.lexsort((low, high))]


def _rank(pool: Pool, rows: np.ndarray) -> np.ndarray:
    """Order by (seniority, participant id): the junior of two `both` participants is labelled the
    mentor. `rows` are in participant id order (`_by_id`), so a stable sort by seniority is that order."""
    order = np.argsort(pool.roster.people.seniority[rows], kind="stable")
    rank = np.empty(len(rows), np.int64)
    rank[order] = np.arange(len(rows))
    return rank


def _unmatched(pool: Pool, rows, takers, givers, feasible, covered) -> list[Unmatched]:
    """Why each free participant got no pair. Whoever has a stored feasible couple lost it to
    better-valued couples; only the others are checked rule by rule."""
    counts = np.zeros(len(rows), np.int64)
    counts[feasible.takers] += np.diff(feasible.start)
    counts[feasible.givers] += feasible.giver_counts()
    free = np.zeros(len(rows), bool)
    free[takers], free[givers] = True, True
    left = np.flatnonzero(free & ~covered[rows])  # ascending, as np.unique gave them
    why = np.full(len(left), "no_capacity_left", dtype=object)
    alone = np.flatnonzero(counts[left] == 0)
    if len(alone):
        why[alone] = reasons(pool, rows[left[alone]], rows[takers], rows[givers], pool.excluded())
    ids = pool.roster.candidates
    return [Unmatched(ids[row].participant_id, str(r))
            for row, r in zip(rows[left].tolist(), why.tolist(), strict=True)]


def publishable(pool: Pool, chosen: list[Proposal]) -> tuple[int, list[Proposal]]:
    """(proposals already stored as pairs, proposals still valid to store). Someone may have withdrawn
    since the preview: their proposal is dropped, the rest stands."""
    seats, free, row_of = pool.seats(), pool.free_takers(), pool.roster.row_of
    live = pool.live()
    stored, valid = 0, []
    for p in chosen:
        mentor, mentee = row_of.get(p.mentor_id), row_of.get(p.mentee_id)
        if (p.mentor_id, p.mentee_id) in live:
            stored += 1  # written by an interrupted earlier publication
        elif mentor is not None and mentee is not None and free[mentee] and seats[mentor] > 0:
            seats[mentor] -= 1
            free[mentee] = False
            if pool.roster.people.both[mentee]:
                seats[mentee] = 0
            if pool.roster.people.both[mentor]:
                free[mentor] = False
            valid.append(p)
    return stored, valid

