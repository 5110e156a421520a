"""Continuous mode: pair one participant with the best feasible counterpart that has a free seat.

Used for a newcomer in a rolling programme and for the partner left behind by a withdrawal; no
existing pair is touched.
"""

from collections.abc import Callable
from uuid import UUID

import numpy as np

from matching.domain.explain import proposal
from matching.domain.graph import must_match_bonus
from matching.domain.model import Candidate, Pair, Proposal
from matching.domain.pool import Pool
from matching.domain.programme import Programme
from matching.domain.rounds import excluded_indices
from matching.domain.scoring import criteria, feasible, rule_masks, utility
from matching.domain.sides import build_side, cached_side


def pair_one(programme: Programme, candidates: list[Candidate], pairs: list[Pair],
             participant_id: UUID) -> Proposal | None:
    pool = Pool.of(programme, candidates, pairs)
    key = participant_id.int  # an int compare: UUID.__eq__ is slow over a 10,000-strong pool
    me = next((c for c in pool.active if c.participant_id.int == key), None)
    if me is None:
        return None
    options: list[tuple[int, Proposal]] = []
    speaks = set(me.languages)
    if me.can_be_mentored() and me.participant_id not in pool.paired:
        # Everyone who can mentor, not only those with a seat left: the cached arrays then survive
        # the pairs being made; seats are checked per call.
        options += _best(pool, me, [c for c in pool.active if c.can_mentor()], lambda c: c.participant_id.int != key
                         and pool.seats.get(c.participant_id, 0) > 0 and not speaks.isdisjoint(c.languages)
                         and (c.role == "mentor" or (me.role == "both" and c.rank < me.rank)), me_mentee=True)
    if me.can_mentor() and pool.seats.get(participant_id, 0) > 0:
        options += _best(pool, me, [c for c in pool.active if c.can_be_mentored()],
                         lambda c: c.participant_id.int != key and c.participant_id not in pool.paired
                         and not speaks.isdisjoint(c.languages)
                         and (c.role == "mentee" or (me.role == "both" and c.rank > me.rank)), me_mentee=False)
    return max(options, key=lambda o: o[0])[1] if options else None


def _best(pool: Pool, me: Candidate, everyone: list[Candidate], eligible: Callable[[Candidate], bool],
          me_mentee: bool) -> list[tuple[int, Proposal]]:
    """`me` against the eligible among `everyone` on the other side (their arrays are cached)."""
    policy = pool.programme.policy
    vocab, all_others = cached_side(pool.programme.programme_id, everyone, policy)
    picked = np.array([j for j, c in enumerate(all_others.people) if eligible(c)], dtype=np.int64)
    if len(picked) == 0:
        return []
    others = all_others.take(picked)
    others.capacity = np.array([pool.seats.get(c.participant_id, 1) for c in others.people], dtype=np.int64)
    mine = build_side([me], [pool.seats.get(me.participant_id, 1)], vocab, policy)
    e, m = (mine, others) if me_mentee else (others, mine)
    mentees, mentors = e.people, m.people
    rows = slice(0, len(mentees))
    ok = feasible(rule_masks(e, m, rows, policy))
    rows_out, cols_out = excluded_indices(pool.excluded, mentees, mentors)
    ok[rows_out, cols_out] = False
    crit = criteria(e, m, rows)
    # A mentor newcomer serves a waiting must-match mentee before anyone else.
    value = np.where(ok, utility(crit.score(policy)) + must_match_bonus(len(mentees)) * e.must[:, None], 0)
    flat = int(np.argmax(value))  # first maximum: candidates are sorted by id, so replays agree
    i, j = divmod(flat, len(mentors))
    if value[i, j] <= 0:
        return []
    return [(int(value[i, j]), proposal(mentors[j], mentees[i], crit, i, j, policy))]
