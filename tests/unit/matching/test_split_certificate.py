"""The round first puts every free `both` participant on the side the programme is short of and
certifies that split against the doubled relaxation from the bipartite network's prices
(`Problem._split_solve`); only when a couple the split forbids could improve it does the doubled
network decide. Both ways end at the optimum an independent MILP finds."""

import pytest

from matching.domain import exact
from matching.domain.pool import Pool
from matching.domain.rounds import plan_round
from tests.unit.matching.builders import counted_calls, person, programme, skills
from tests.unit.matching.milp import optimum


@pytest.fixture
def doubled_solves(monkeypatch) -> list[int]:
    return counted_calls(monkeypatch, exact.Problem, "_doubled")


def test_an_oversubscribed_programme_with_both_participants_is_certified_without_the_doubled_network(doubled_solves):
    prog = programme()
    mentors = [person("mentor", prog.programme_id, seniority=1, skills=skills(ai=(4, 0), go=(3, 0)), capacity=2)
               for _ in range(2)]
    both = [person("both", prog.programme_id, seniority=3, skills=skills(ai=(3, 0), go=(4, 0), video=(0, 2)))
            for _ in range(3)]
    mentees = [person("mentee", prog.programme_id, seniority=8, skills=skills(ai=(0, 1 + k % 3), go=(0, k % 2)))
               for k in range(10)]
    people = [*mentors, *both, *mentees]
    plan = plan_round(Pool(prog, people, []))
    best = optimum(prog, people, [])
    assert (plan.must_matched, plan.objective) == (best.must_matched, best.objective)
    assert {p.mentor_id for p in plan.proposals} >= {c.participant_id for c in both}  # each mentors
    assert doubled_solves == []


def wrong_side() -> tuple:
    """The mentees outnumber the one seat, so the first split has the `both` participant mentor; it
    cannot (more senior than them), and is the mentor's best mentee (wants all it teaches, they half)."""
    prog = programme()
    mentor = person("mentor", prog.programme_id, seniority=1, skills=skills(ai=(4, 0), video=(4, 0)), capacity=1)
    both = person("both", prog.programme_id, seniority=9, skills=skills(ai=(0, 4), video=(0, 4)))
    mentees = [person("mentee", prog.programme_id, seniority=8, skills=skills(ai=(0, 4), ml=(0, 4))) for _ in range(3)]
    return prog, [mentor, both, *mentees]


def test_a_both_participant_worth_more_on_the_other_side_changes_sides_and_the_split_is_certified(doubled_solves):
    prog, people = wrong_side()
    mentor, both = people[0], people[1]
    plan = plan_round(Pool(prog, people, []))
    best = optimum(prog, people, [])
    assert (plan.must_matched, plan.objective) == (best.must_matched, best.objective)
    assert [(p.mentor_id, p.mentee_id) for p in plan.proposals] == [(mentor.participant_id, both.participant_id)]
    assert doubled_solves == []


def test_when_no_split_is_certified_the_doubled_network_decides(doubled_solves, monkeypatch):
    monkeypatch.setattr(exact, "SPLITS", 1)  # the first split only: its forbidden couple prices in
    prog, people = wrong_side()
    plan = plan_round(Pool(prog, people, []))
    best = optimum(prog, people, [])
    assert (plan.must_matched, plan.objective) == (best.must_matched, best.objective)
    mentor, both = people[0], people[1]
    assert [(p.mentor_id, p.mentee_id) for p in plan.proposals] == [(mentor.participant_id, both.participant_id)]
    assert doubled_solves
