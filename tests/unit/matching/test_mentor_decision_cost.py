"""What a mentor's arrival computes once instead of once per couple gives the same answers: its
couples explained together, and the roster's column views kept between questions."""

import random

import numpy as np
import pytest

from matching.domain.continuous import pair_many
from matching.domain.explain import couple_criteria, proposal
from matching.domain.pool import Pool
from tests.unit.matching.builders import person, programme, random_person, skills


def _one_by_one(pool: Pool, proposals) -> list:
    """Each couple explained alone, as pair_many did before."""
    row, ids = pool.roster.row_of, pool.roster.candidates
    out = []
    for p in proposals:
        mentor, mentee = row[p.mentor_id], row[p.mentee_id]
        crit = couple_criteria(pool, np.array([mentee]), np.array([mentor]))
        out.append(proposal(ids[mentor], ids[mentee], crit, 0, pool.policy))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_a_mentors_couples_explained_together_equal_each_couple_explained_alone(seed):
    rng = random.Random(seed)
    prog = programme(mentor_capacity=10)
    pid = prog.programme_id
    level = lambda: (rng.randrange(5), rng.randrange(3))  # noqa: E731
    waiting = [person("mentee", pid, skills=skills(ai=level(), go=level(), ml=level())) for _ in range(14)]
    waiting += [random_person(rng, rng.choice(("mentee", "both")), pid) for _ in range(40)]
    pool = Pool(prog, waiting, [])
    mentor = person("mentor", pid, skills=skills(ai=level(), go=level(), ml=level()))
    pool.put_candidate(mentor)
    found = pair_many(pool, mentor.participant_id)
    assert len(found) == 10 and found == _one_by_one(pool, found)
    for _ in range(6):  # and newcomers of every kind, across zones, languages and cross pairs
        newcomer = random_person(rng, rng.choice(("mentor", "both", "mentee")), pid)
        pool.put_candidate(newcomer)
        found = pair_many(pool, newcomer.participant_id)
        assert found == _one_by_one(pool, found)


def test_the_rosters_views_follow_rows_written_added_and_grown():
    prog = programme()
    pool = Pool(prog, [person("mentee", prog.programme_id, skills=skills(ai=(0, 2)))], [])
    roster = pool.roster
    first = roster.people
    assert roster.people is first  # nothing changed: the same views
    assert len(first) == 1 and first.active[0]
    late = [person("mentor", prog.programme_id, skills=skills(**{f"t{i}": (3, 0) for i in range(8)}))
            for _ in range(40)]  # more rows and more topics than the arrays hold: they grow
    pool.put_candidate(late[0])
    assert len(roster.people) == 2 and roster.people.gives[1]
    for c in late[1:]:
        pool.put_candidate(c)
    people = roster.people
    assert len(people) == 41 and people.teach.shape[1] >= 9 * 4 and people.gives[1:].all()
    gone = late[5]
    gone.withdrawn = True
    pool.put_candidate(gone)  # a row written again: the views show it without being rebuilt
    assert roster.people is people and not people.active[6]
