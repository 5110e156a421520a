"""A round explains its proposals in one pass; each explanation is the one the per-couple path gives
(continuous pairing's `proposal`)."""

import random
import uuid

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.domain.explain import all_directions, couple_criteria, learning_directions, proposal, proposals
from matching.domain.model import Skill
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


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 45))
def test_directions_read_from_the_skill_rows_are_the_candidates_own(seed, topics):
    """`all_directions` (the roster's rows, one template per distinct pattern) against
    `learning_directions` (the candidates' skill lists), mentees, mentors and cross pairs, with up
    to 45 topics (beyond 39 the patterns are compared as rows, not as one integer)."""
    rng = random.Random(seed)
    pid = uuid.uuid4()
    names = [f"topic-{k:02d}" for k in rng.sample(range(60), topics)]

    def someone(role):
        listed = rng.sample(names, rng.randint(0, min(len(names), 8)))
        return person(role, pid, skills=[Skill(t, rng.randint(0, 4), rng.choice([0, 0, 1, 2, 4])) for t in listed])

    people = [someone(rng.choice(["mentee", "mentor", "both"])) for _ in range(14)]
    pool = Pool(Programme(pid, Policy(), launched=True), people, [])
    couples = [(e, m) for e in range(len(people)) for m in range(len(people)) if e != m]
    mentees, mentors = (np.array(x, np.int64) for x in zip(*couples, strict=True))
    ids = pool.roster.candidates
    assert all_directions(pool, mentees, mentors) == [learning_directions(ids[m], ids[e]) for e, m in couples]
