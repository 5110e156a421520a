"""A matching round: the globally optimal assignment of a programme's free participants."""

from dataclasses import dataclass, field
from uuid import UUID

import numpy as np

from matching.domain.explain import proposal, reason_unmatched
from matching.domain.graph import DEFAULT_TOP_K, assign
from matching.domain.model import Candidate, Pair, Proposal, Unmatched
from matching.domain.pool import Pool
from matching.domain.programme import Programme
from matching.domain.scoring import Criteria, criteria
from matching.domain.sides import Side, Vocabulary, build_side


@dataclass
class RoundPlan:
    proposals: list[Proposal] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    objective: int = 0  # integer utility of the optimised (unpinned) proposals
    must_matched: int = 0
    passes: int = 0  # flow solves until no pruned couple could improve the result


def plan_round(programme: Programme, candidates: list[Candidate], pairs: list[Pair],
               top_k: int | None = DEFAULT_TOP_K) -> RoundPlan:
    pool = Pool.of(programme, candidates, pairs)
    policy = programme.policy
    vocab = Vocabulary.of(pool.active)
    mentees, mentors = pool.round_sides()
    plan = RoundPlan()
    mentees, seats = _apply_pins(pool, mentees, mentors, vocab, plan)
    e = build_side(mentees, [1] * len(mentees), vocab, policy)
    m = build_side(mentors, [seats[c.participant_id] for c in mentors], vocab, policy)
    excluded = excluded_indices(pool.excluded, mentees, mentors)
    result = assign(e, m, policy, excluded, top_k)
    graph, used = result.graph, result.used
    plan.objective, plan.passes = int(graph.utility[used].sum()), result.passes
    for k in used:
        crit = Criteria(*(np.array([[x[k]]]) for x in (graph.complementarity, graph.availability, graph.time_zone)))
        plan.proposals.append(proposal(mentors[graph.mentor[k]], mentees[graph.mentee[k]], crit, 0, 0, policy))
    plan.must_matched = int(e.must[graph.mentee[used]].sum())
    matched = np.zeros(len(mentees), dtype=bool)
    matched[graph.mentee[used]] = True
    mentoring = np.zeros(len(mentors), dtype=bool)
    mentoring[graph.mentor[used]] = True
    mentoring |= np.array([c.participant_id in pool.busy for c in mentors], dtype=bool)
    plan.unmatched = _unmatched(pool, e, m, matched, mentoring)
    return plan


def _apply_pins(pool: Pool, mentees: list[Candidate], mentors: list[Candidate], vocab: Vocabulary,
                plan: RoundPlan) -> tuple[list[Candidate], dict[UUID, int]]:
    """Pinned couples are a manager's decision: they take their seats before the solve."""
    seats = {c.participant_id: pool.seats[c.participant_id] for c in mentors}
    free = {c.participant_id: c for c in mentees}
    by_id = {c.participant_id: c for c in mentors}
    taken: set[UUID] = set()
    for rule in pool.programme.rules:
        mentor, mentee = by_id.get(rule.mentor_id), free.get(rule.mentee_id)
        if rule.kind != "pinned" or mentor is None or mentee is None or rule.mentee_id in taken:
            continue
        if seats[mentor.participant_id] < 1:
            continue
        seats[mentor.participant_id] -= 1
        taken.add(rule.mentee_id)
        one_e = build_side([mentee], [1], vocab, pool.programme.policy)
        one_m = build_side([mentor], [1], vocab, pool.programme.policy)
        plan.proposals.append(proposal(mentor, mentee, criteria(one_e, one_m, slice(0, 1)), 0, 0,
                                       pool.programme.policy, pinned=True))
    return [c for c in mentees if c.participant_id not in taken], seats


def excluded_indices(excluded: set[tuple[UUID, UUID]], mentees: list[Candidate],
                     mentors: list[Candidate]) -> tuple[np.ndarray, np.ndarray]:
    """(mentee rows, mentor columns) of the couples never to propose."""
    e_index = {c.participant_id: i for i, c in enumerate(mentees)}
    m_index = {c.participant_id: j for j, c in enumerate(mentors)}
    found = [(e_index[b], m_index[a]) for a, b in excluded if a in m_index and b in e_index]
    return (np.array([f[0] for f in found], dtype=np.int64), np.array([f[1] for f in found], dtype=np.int64))


def _unmatched(pool: Pool, e: Side, m: Side, matched: np.ndarray, mentoring: np.ndarray) -> list[Unmatched]:
    """Why each free mentee got no mentor, and why each mentor with no mentee at all got none."""
    policy = pool.programme.policy
    out = []
    left = np.flatnonzero(~matched)
    if len(left):
        sub = e.take(left)
        excl = excluded_indices(pool.excluded, sub.people, m.people)
        out += [Unmatched(c.participant_id, r) for c, r in
                zip(sub.people, reason_unmatched(sub, m, policy, excl, axis=1), strict=True)]
    idle = np.flatnonzero(~mentoring)
    if len(idle):
        sub = m.take(idle)
        excl = excluded_indices(pool.excluded, e.people, sub.people)
        out += [Unmatched(c.participant_id, r) for c, r in
                zip(sub.people, reason_unmatched(e, sub, policy, excl, axis=0), strict=True)]
    return out


def publishable(pool: Pool, proposals: list[Proposal]) -> tuple[int, list[Proposal]]:
    """(proposals already stored as pairs, proposals still valid to store). Someone may have withdrawn
    since the preview: their proposal is dropped, the rest stands."""
    active = {c.participant_id for c in pool.active}
    stored, valid = 0, []
    for p in proposals:
        if (p.mentor_id, p.mentee_id) in pool.live:
            stored += 1  # written by an interrupted earlier publication
        elif {p.mentor_id, p.mentee_id} <= active and p.mentee_id not in pool.paired \
                and pool.seats.get(p.mentor_id, 0) > 0:
            pool.seats[p.mentor_id] -= 1
            pool.paired.add(p.mentee_id)
            valid.append(p)
    return stored, valid
