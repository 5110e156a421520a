"""Loads the compiled loops of a round (`listing_kernel.py`, `scan_kernels.py`, `auction.py`) before
the first real one.

A tiny programme is planned once: every kernel is loaded from numba's cache (or, the first time on
a machine, compiled) with the argument types real rounds use, so the first round a manager asks for
does not pay ~1.5 s of loading. Called by the composition root and by the benchmarks' set-up.
"""

from uuid import UUID

import numpy as np

from matching.domain.model import Candidate, Skill, Slot
from matching.domain.pool import Pool
from matching.domain.programme import Policy, Programme
from matching.domain.rounds import plan_round
from matching.domain.scan_kernels import lowest_per_owner


def warm() -> None:
    programme_id = UUID(int=1)
    week = [Slot(day, "09:00", "12:00") for day in range(5)]

    def person(n: int, role: str, seniority: int, skills: list[Skill]) -> Candidate:
        return Candidate(UUID(int=100 + n), programme_id, role, "FR", ["fr", "en"], "Europe/Paris", seniority, week,
                         skills=skills, must_match=n == 0)

    learner = [Skill("ai", 0, 3), Skill("video", 1, 2)]
    teacher = [Skill("ai", 4, 0), Skill("video", 3, 0)]
    people = [person(0, "mentee", 8, learner), person(1, "mentee", 7, learner), person(2, "mentor", 2, teacher),
              person(3, "both", 5, [Skill("ai", 4, 0), Skill("video", 0, 3)]),
              person(4, "both", 4, [Skill("ai", 0, 3), Skill("video", 4, 0)])]
    plan_round(Pool(Programme(programme_id, Policy(mentor_capacity=2), launched=True), people))
    # A round this small never brings couples in: the mentors' selection is loaded directly.
    lowest_per_owner(np.zeros(2, np.int64), np.zeros(2, np.int64), np.ones(1, np.int64), 1)
