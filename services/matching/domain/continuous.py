"""Continuous mode: pair one participant with the best feasible counterpart that has a free seat.

Used for a newcomer in a rolling programme and for a partner left behind by a withdrawal; no
existing pair is touched. The cost is the participant's own row against the other side of the
pool (its arrays are kept by `Pool`, never rebuilt): the group rules are looked up per group
(language set, country, availability group), the couple's own rules are checked only for the
counterparts those leave, and only the feasible ones are scored.
"""

from uuid import UUID

import numpy as np

from matching.domain.couples import allowed, must_match_bonus, rule_masks, utility
from matching.domain.explain import couple_criteria, proposal
from matching.domain.model import Proposal
from matching.domain.pool import Pool


def pair_one(pool: Pool, participant_id: UUID) -> Proposal | None:
    found = pair_many(pool, participant_id)
    return found[0] if found else None


def pair_many(pool: Pool, participant_id: UUID) -> list[Proposal]:
    """The participant's pairs: one for someone who may be mentored; for a mentor, its best waiting
    mentees up to its free seats, all read from one evaluation of its row (taking one mentee does
    not change the value of the others)."""
    me = pool.roster.row_of.get(participant_id)
    p = pool.roster.people
    if me is None or not p.active[me]:
        return []
    seats, free = pool.seats(), pool.free_takers()
    options = []  # (value, taker row, giver row)
    if free[me]:
        options += _best(pool, me, np.flatnonzero(seats > 0), me_takes=True, limit=1)
    if seats[me] > 0:
        options += _best(pool, me, np.flatnonzero(free), me_takes=False, limit=int(seats[me]))
    if not options:
        return []
    ids = pool.roster.candidates
    # Highest value first; ties go to the smallest participant id, so a replay picks the same pairs.
    options.sort(key=lambda o: (-o[0], _id(ids, o[1] if o[2] == me else o[2])))
    if free[me] and options[0][1] == me:  # paired as a mentee: that is its one pair
        options = options[:1]
    else:
        options = [o for o in options if o[2] == me]
    mentees, mentors = (np.array(rows) for rows in zip(*(_labels(pool, t, g) for _, t, g in options), strict=True))
    crit = couple_criteria(pool, mentees, mentors)  # a mentor's 10 couples explained at once
    return [proposal(ids[mentor], ids[mentee], crit, k, pool.policy)
            for k, (mentee, mentor) in enumerate(zip(mentees.tolist(), mentors.tolist(), strict=True))]


def _id(ids, row: int) -> int:
    return ids[row].participant_id.int


def _labels(pool: Pool, taker: int, giver: int) -> tuple[int, int]:
    """(mentee, mentor): in a cross pair the junior of the two is labelled the mentor."""
    p, ids = pool.roster.people, pool.roster.candidates
    if p.both[taker] and p.both[giver]:
        rank = lambda r: (p.seniority[r], ids[r].participant_id)  # noqa: E731
        return (giver, taker) if rank(giver) > rank(taker) else (taker, giver)
    return taker, giver


def _best(pool: Pool, me: int, others: np.ndarray, me_takes: bool, limit: int) -> list[tuple[int, int, int]]:
    """The `limit` best couples of `me` with `others` (me the taker if `me_takes`, else the giver):
    (value, taker row, giver row)."""
    p, codes, policy = pool.roster.people, pool.codes, pool.policy
    others = others[others != me]
    others = others[~np.isin(others, pool.excluded_rows(me, me_takes))]
    # Group rules: looked up per group, never per couple.
    others = others[codes.language_sets.compatible()[p.language_set[me], p.language_set[others]]]
    if policy.same_country_only:
        others = others[p.country[others] == p.country[me]]
    keys, inverse = np.unique(p.availability[others], return_inverse=True)
    meet, _ = codes.availability.table(np.array([p.availability[me]]), keys)
    others = others[meet[0, inverse]]
    mine = np.full(len(others), me)
    t, g = (mine, others) if me_takes else (others, mine)
    if not len(t):
        return []
    keep = allowed(rule_masks(p, t, g, policy))
    t, g, others = t[keep], g[keep], others[keep]
    if not len(t):
        return []
    value = utility(couple_criteria(pool, t, g).score(policy))  # only the feasible are scored
    # A newcomer serves a waiting must-match counterpart first (or a must-match mentor with no mentee).
    waiting = p.must[g] & (pool.load[g] == 0) if me_takes else p.must[t]
    value = value + must_match_bonus(len(pool.roster)) * waiting
    ids = pool.roster.candidates
    top = np.flatnonzero(value >= np.sort(value)[-min(limit, len(value))])  # ties at the cut kept
    top = sorted(top.tolist(), key=lambda i: (-int(value[i]), _id(ids, int(others[i]))))[:limit]
    return [(int(value[k]), int(t[k]), int(g[k])) for k in top]
