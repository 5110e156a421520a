"""Cases where fixing who mentors among `both` participants loses value: the exact round lets each
`both` take either role, and odd cycles (where the relaxation is fractional) are branched on."""

import uuid

from matching.domain.model import Candidate, Skill, Slot
from matching.domain.pool import Pool
from matching.domain.programme import Policy, Programme
from matching.domain.rounds import plan_round
from tests.unit.matching.milp import optimum

WEEK = [Slot(d, "09:00", "17:00") for d in range(5)]


def someone(pid, role: str, seniority: int, skills=(), must=False) -> Candidate:
    return Candidate(uuid.uuid4(), pid, role, "FR", ["fr"], "Europe/Paris", seniority, list(WEEK),
                     skills=list(skills), must_match=must, capacity=1 if role == "mentor" else None)


def test_a_both_participant_mentors_a_senior_mentee_when_that_beats_being_mentored():
    pid = uuid.uuid4()
    programme = Programme(pid, Policy(), launched=True)
    mentor = someone(pid, "mentor", 1, [Skill("ai", 4, 0)])
    both = someone(pid, "both", 4, [Skill("ai", 4, 0), Skill("video", 0, 1)])
    mentees = [someone(pid, "mentee", 9, [Skill("ai", 0, 4)]) for _ in range(2)]
    people = [mentor, both, *mentees]
    plan = plan_round(Pool(programme, people, []))
    assert {p.mentor_id for p in plan.proposals} == {mentor.participant_id, both.participant_id}
    best = optimum(programme, people, [])
    assert (plan.must_matched, plan.objective) == (best.must_matched, best.objective)


def test_odd_cycles_of_both_participants_are_solved_exactly_and_must_match_counts_on_either_side():
    pid = uuid.uuid4()
    programme = Programme(pid, Policy(), launched=True)
    teach = [Skill("ai", 4, 0), Skill("video", 0, 4)]
    learn = [Skill("ai", 0, 4), Skill("video", 4, 0)]
    people = [someone(pid, "both", 5, teach if i % 2 else learn, must=i == 0) for i in range(5)]
    people += [someone(pid, "mentor", 1, [Skill("ai", 4, 0)]), someone(pid, "mentee", 9, [Skill("ai", 0, 4)])]
    plan = plan_round(Pool(programme, people, []))
    best = optimum(programme, people, [])
    assert (plan.must_matched, plan.objective) == (best.must_matched, best.objective)
    assert plan.must_matched == 1
