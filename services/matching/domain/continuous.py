"""Continuous mode: pair one participant with the best feasible counterpart that has a free seat.

Used for a newcomer in a rolling programme and for the partner left behind by a withdrawal; no
existing pair is touched.
"""

from uuid import UUID

import numpy as np

from matching.domain.explain import proposal
from matching.domain.graph import must_match_bonus
from matching.domain.model import Candidate, Pair, Proposal
from matching.domain.pool import Pool, by_id
from matching.domain.programme import Programme
from matching.domain.rounds import excluded_indices
from matching.domain.scoring import criteria, feasible, rule_masks, utility
from matching.domain.sides import Vocabulary, build_side


def pair_one(programme: Programme, candidates: list[Candidate], pairs: list[Pair],
             participant_id: UUID) -> Proposal | None:
    pool = Pool.of(programme, candidates, pairs)
    key = participant_id.int  # an int compare: UUID.__eq__ is slow over a 10,000-strong pool
    me = next((c for c in pool.active if c.participant_id.int == key), None)
    if me is None:
        return None
    options: list[tuple[int, Proposal]] = []
    speaks = set(me.languages)
    # Cheap hard rules (language, the mentor's side) first: fewer people to turn into arrays.
    if me.can_be_mentored() and me.participant_id not in pool.paired:
        mentors = [c for c in pool.open_mentors() if c.participant_id.int != key and not speaks.isdisjoint(c.languages)
                   and (c.role == "mentor" or (me.role == "both" and c.rank < me.rank))]
        options += _best(pool, [me], mentors)
    if me.can_mentor() and pool.seats.get(participant_id, 0) > 0:
        mentees = [c for c in pool.free_mentees() if c.participant_id.int != key and not speaks.isdisjoint(c.languages)
                   and (c.role == "mentee" or (me.role == "both" and c.rank > me.rank))]
        options += _best(pool, mentees, [me])
    return max(options, key=lambda o: o[0])[1] if options else None


def _best(pool: Pool, mentees: list[Candidate], mentors: list[Candidate]) -> list[tuple[int, Proposal]]:
    if not mentees or not mentors:
        return []
    mentees, mentors = by_id(mentees), by_id(mentors)
    policy = pool.programme.policy
    vocab = Vocabulary.of([*mentees, *mentors])
    e = build_side(mentees, [1] * len(mentees), vocab, policy)
    m = build_side(mentors, [pool.seats[c.participant_id] for c in mentors], vocab, policy)
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
