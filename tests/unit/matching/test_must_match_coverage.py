"""Bipartite rounds solve with a small must-match bonus and check the coverage against the most any
assignment can reach (domain/coverage.py); when a must-match participant can only be covered by
shifting a chain of better couples, the check catches it and the full bonus decides."""

import numpy as np

from matching.domain.couples import must_match_bonus
from matching.domain.coverage import most_covered
from matching.domain.exact import SMALL_BONUS, Problem
from matching.domain.feasible import Feasible

TOP = 1001


def chain(links: int, idle_both: bool = False) -> tuple[Feasible, np.ndarray]:
    """Takers 0..links, all but the last must-match; `links` givers after them, one seat each. Taker 0
    fits only giver 0 (worth 1); taker i fits giver i-1 (worth TOP) and giver i (worth 1); the last
    taker fits only giver links-1. Covering taker 0 shifts every taker down the chain: `links`
    couples worth TOP each become worth 1, for one more must-match participant covered. With
    `idle_both`, one more person on both sides (no couples): the round takes the doubled network."""
    takers = np.arange(links + 1)
    givers = np.arange(links + 1, 2 * links + 1)
    couples = [[(0, 1)]] + [[(i - 1, TOP), (i, 1)] if i < links else [(i - 1, TOP)] for i in range(1, links + 1)]
    start = np.concatenate([[0], np.cumsum([len(c) for c in couples])])
    giver = np.array([g for c in couples for g, _ in c], np.uint16)
    value = np.array([v for c in couples for _, v in c], np.int16)
    must = np.zeros(2 * links + 2, bool)
    must[:links] = True
    if idle_both:
        takers, givers, start = np.append(takers, 2 * links + 1), np.append(givers, 2 * links + 1), \
            np.append(start, start[-1])
    return Feasible(takers, givers, start, giver, value), must


def solve(links: int, idle_both: bool = False):
    f, must = chain(links, idle_both)
    n = len(must)
    both = np.zeros(n, bool)
    both[-1] = idle_both
    problem = Problem(f, np.arange(len(f.value)), np.ones(n, np.int64), must, both, must_match_bonus(n))
    return problem.solve(), must


def test_a_chain_worth_more_than_the_small_bonus_is_still_shifted_to_cover_the_must_match_taker():
    links = 3  # covering taker 0 costs 3 x (TOP - 1) > SMALL_BONUS
    assert links * (TOP - 1) > SMALL_BONUS
    result, must = solve(links)
    assert sorted(result.taker.tolist()) == [0, 1, 2]  # every must-match taker, the last one left out
    assert int(result.value.astype(np.int64).sum()) == links
    assert result.passes >= 2  # the small bonus's solve, then the full bonus's
    assert most_covered(chain(links)[0], np.ones(len(must), np.int64), must) == links


def test_the_doubled_network_falls_back_to_the_full_bonus_too():
    result, _ = solve(3, idle_both=True)
    assert sorted(result.taker.tolist()) == [0, 1, 2]
    assert result.passes >= 2


def test_a_short_chain_is_shifted_by_the_small_bonus_alone():
    result, _ = solve(1)  # covering taker 0 costs TOP - 1 < SMALL_BONUS
    assert result.taker.tolist() == [0]
    assert int(result.value.astype(np.int64).sum()) == 1


def test_nobody_coverable_means_zero():
    f, must = chain(2)
    assert most_covered(f, np.ones(len(must), np.int64), np.zeros(len(must), bool)) == 0
