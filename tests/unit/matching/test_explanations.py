"""A round explains its proposals in one pass; each explanation is the one the per-couple path gives
(continuous pairing's `proposal`)."""

import random
import uuid

import numpy as np

from matching.domain.explain import couple_criteria, proposal, proposals
from matching.domain.pool import Pool
from matching.domain.programme import Policy, Programme
from tests.unit.matching.builders import person, random_person, skills


def test_a_rounds_explanations_equal_the_per_couple_ones_mentor_by_mentor_and_for_cross_pairs():
    rng = random.Random(3)
    pid = uuid.uuid4()
    people = [random_person(rng, role, pid) for role in ["mentee"] * 12 + ["mentor"] * 3 + ["both"] * 4]
    people.append(person("mentee", pid, languages=("de",), skills=skills(ai=(0, 3))))  # no language shared
    pool = Pool(Programme(pid, Policy(mentor_capacity=4), launched=True), people, [])
    row = pool.roster.row_of
    mentors = np.array([row[c.participant_id] for c in people[12:15] for _ in range(4)] +
                       [row[people[15].participant_id], row[people[17].participant_id],
                        row[people[12].participant_id]])
    mentees = np.array([row[c.participant_id] for c in people[:12]] +
                       [row[people[16].participant_id], row[people[18].participant_id],
                        row[people[19].participant_id]])
    explained = proposals(pool, mentees, mentors)
    crit, ids = couple_criteria(pool, mentees, mentors), pool.roster.candidates
    one_by_one = [proposal(ids[m], ids[e], crit, k, pool.policy)
                  for k, (e, m) in enumerate(zip(mentees.tolist(), mentors.tolist(), strict=True))]
    assert explained == one_by_one
    assert any(p.directions for p in explained) and explained[-1].language == ""
