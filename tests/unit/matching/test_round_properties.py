"""Property-based checks of a round on small random programmes: no hard rule broken, no seat
overbooked, must-match mentees served whenever possible, the same input gives the same pairs,
and the objective equals an independent exact solver's (scipy's assignment on seat copies);
newcomers paired one by one in continuous mode obey the same rules and seats."""

import random
import uuid
from collections import Counter

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching.domain.continuous import pair_one
from matching.domain.graph import must_match_bonus
from matching.domain.model import Candidate, Pair, Skill, Slot
from matching.domain.pool import Pool
from matching.domain.programme import PairRule, Policy, Programme
from matching.domain.rounds import plan_round
from matching.domain.scoring import criteria, feasible, rule_masks, utility
from matching.domain.sides import Vocabulary, build_side
from tests.unit.matching import reference

ZONES = [("FR", "Europe/Paris"), ("JP", "Asia/Tokyo"), ("BR", "America/Sao_Paulo"), ("IN", "Asia/Kolkata")]
HOURS = ["00:00", "06:00", "08:30", "09:00", "12:00", "13:30", "17:00", "20:00", "24:00"]
SENIORITY = {"mentee": (4, 10), "mentor": (1, 6), "both": (1, 10)}


@st.composite
def candidates(draw, programme_id: uuid.UUID, role: str, people: list[uuid.UUID]) -> Candidate:
    country, zone = draw(st.sampled_from(ZONES[:1] * 3 + ZONES))
    slots = [Slot(0, "08:30", "17:00")] if draw(st.integers(0, 4)) else []
    for weekday in draw(st.lists(st.integers(1, 6), max_size=3, unique=True)):
        start, end = sorted(draw(st.lists(st.sampled_from(HOURS), min_size=2, max_size=2, unique=True)))
        slots.append(Slot(weekday, start, end))
    skills = [Skill(t, draw(st.integers(0, 4)), draw(st.integers(0, 4)))
              for t in draw(st.lists(st.sampled_from(["ai", "video", "data"]), max_size=3, unique=True))]
    return Candidate(
        participant_id=uuid.UUID(int=draw(st.integers(1, 2**64))), programme_id=programme_id, role=role,
        country=country, languages=draw(st.lists(st.sampled_from(["en", "fr", "ja"]), min_size=1, max_size=2,
                                                 unique=True)) + (["en"] if draw(st.booleans()) else []),
        time_zone=zone, seniority_level=draw(st.integers(*SENIORITY[role])), availability=slots,
        department=draw(st.sampled_from([None, "it", "hr"])),
        manager_id=draw(st.sampled_from([None, *people])) if people else None,
        skills=skills, must_match=draw(st.booleans()) if role != "mentor" else False,
        capacity=draw(st.integers(1, 3)) if role == "mentor" else None,
    )


@st.composite
def programmes(draw) -> tuple[Programme, list[Candidate], list[Pair]]:
    pid = uuid.uuid4()
    policy = Policy(mentor_capacity=draw(st.integers(1, 3)),
                    same_country_only=draw(st.sampled_from([False, False, True])),
                    exclude_reporting_line=draw(st.booleans()), exclude_same_department=draw(st.booleans()),
                    min_overlap_minutes=draw(st.sampled_from([30, 60, 90])),
                    weights=draw(st.sampled_from([{}, {"availability": 1.0}, {"complementarity": 2, "time_zone": 1}])))
    mentees = draw(st.lists(candidates(pid, "mentee", []), min_size=1, max_size=7))
    ids = [c.participant_id for c in mentees]
    mentors = draw(st.lists(candidates(pid, "mentor", ids), min_size=1, max_size=4))
    both = draw(st.lists(candidates(pid, "both", ids), max_size=3))
    people = _unique([*mentees, *mentors, *both])
    givers = [c for c in people if c.can_mentor()]
    takers = [c for c in people if c.can_be_mentored()]
    couples = [(g, t) for g in givers for t in takers if g is not t]
    dissolved = [Pair(uuid.uuid4(), pid, g.participant_id, t.participant_id, "FR", "fr", 0.0, status="dissolved")
                 for g, t in draw(st.lists(st.sampled_from(couples), max_size=2))] if couples else []
    forbidden = [PairRule(g.participant_id, t.participant_id, "forbidden")
                 for g, t in draw(st.lists(st.sampled_from(couples), max_size=2))] if couples else []
    return Programme(pid, policy, launched=True, rules=forbidden), people, dissolved


def _unique(people: list[Candidate]) -> list[Candidate]:
    return list({c.participant_id: c for c in people}.values())


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(programmes())
def test_no_proposal_breaks_a_hard_rule_or_an_exclusion_and_its_score_matches_the_reference(case):
    programme, people, pairs = case
    plan = plan_round(programme, people, pairs)
    by_id = {c.participant_id: c for c in people}
    excluded = Pool.of(programme, people, pairs).excluded
    for p in plan.proposals:
        mentor, mentee = by_id[p.mentor_id], by_id[p.mentee_id]
        assert reference.feasible(mentor, mentee, programme.policy), (mentor, mentee)
        assert (p.mentor_id, p.mentee_id) not in excluded
        expected = reference.breakdown(mentor, mentee, programme.policy)
        assert all(abs(p.breakdown[k] - v) < 1e-3 for k, v in expected.items()), (p.breakdown, expected)


@PROPERTY
@given(programmes())
def test_no_seat_is_overbooked_and_nobody_is_paired_twice(case):
    programme, people, pairs = case
    plan = plan_round(programme, people, pairs)
    by_id = {c.participant_id: c for c in people}
    per_mentor = Counter(p.mentor_id for p in plan.proposals)
    for mentor_id, taken in per_mentor.items():
        mentor = by_id[mentor_id]
        seats = 1 if mentor.role == "both" else (mentor.capacity or programme.policy.mentor_capacity)
        assert taken <= seats
    mentees = [p.mentee_id for p in plan.proposals]
    assert len(mentees) == len(set(mentees))
    assert not set(mentees) & set(per_mentor), "a `both` participant sits on both sides"
    assert not {p.mentee_id for p in plan.proposals} & {u.participant_id for u in plan.unmatched}


@PROPERTY
@given(programmes(), st.randoms(use_true_random=False))
def test_the_same_programme_in_any_order_gives_the_same_pairs(case, rng: random.Random):
    programme, people, pairs = case
    shuffled = list(people)
    rng.shuffle(shuffled)
    first = plan_round(programme, people, pairs)
    again = plan_round(programme, shuffled, pairs)
    assert [(p.mentor_id, p.mentee_id) for p in sorted(first.proposals, key=_key)] == \
        [(p.mentor_id, p.mentee_id) for p in sorted(again.proposals, key=_key)]


def _key(p) -> tuple[str, str]:
    return (str(p.mentor_id), str(p.mentee_id))


@PROPERTY
@given(programmes())
def test_must_match_coverage_then_total_value_equal_an_independent_exact_solver(case):
    programme, people, pairs = case
    plan = plan_round(programme, people, pairs)
    must, value = _scipy_optimum(programme, people, pairs)
    assert plan.must_matched == must
    assert plan.objective == value


def _scipy_optimum(programme: Programme, people: list[Candidate], pairs: list[Pair]) -> tuple[int, int]:
    """Seat-expanded assignment: one column per mentor seat, value (bonus for must-match) per cell."""
    pool = Pool.of(programme, people, pairs)
    mentees, mentors = pool.round_sides()
    if not mentees or not mentors:
        return 0, 0
    vocab = Vocabulary.of(pool.active)
    e = build_side(mentees, [1] * len(mentees), vocab, programme.policy)
    m = build_side(mentors, [pool.seats[c.participant_id] for c in mentors], vocab, programme.policy)
    rows = slice(0, len(mentees))
    ok = feasible(rule_masks(e, m, rows, programme.policy))
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            ok[i, j] &= (mentor.participant_id, mentee.participant_id) not in pool.excluded
            assert ok[i, j] == (reference.feasible(mentor, mentee, programme.policy)
                                and (mentor.participant_id, mentee.participant_id) not in pool.excluded)
    value = np.where(ok, utility(criteria(e, m, rows).score(programme.policy)), 0)
    bonus = must_match_bonus(len(mentees)) * e.must[:, None] * ok
    seats = np.repeat(np.arange(len(mentors)), m.capacity)
    if len(seats) == 0:
        return 0, 0
    gain = (value + bonus)[:, seats]
    r, c = linear_sum_assignment(gain, maximize=True)
    used = gain[r, c] > 0
    return int(e.must[r[used]].sum()), int(value[:, seats][r[used], c[used]].sum())


@PROPERTY
@given(programmes())
def test_pairing_newcomers_one_by_one_never_breaks_a_rule_nor_overbooks_a_seat(case):
    programme, people, pairs = case
    by_id = {c.participant_id: c for c in people}
    excluded = Pool.of(programme, people, pairs).excluded
    made: list[Pair] = []
    for arrived, newcomer in enumerate(people, start=1):
        proposal = pair_one(programme, people[:arrived], [*pairs, *made], newcomer.participant_id)
        if proposal is None:
            continue
        mentor, mentee = by_id[proposal.mentor_id], by_id[proposal.mentee_id]
        assert newcomer in (mentor, mentee)
        assert reference.feasible(mentor, mentee, programme.policy)
        assert (mentor.participant_id, mentee.participant_id) not in excluded
        made.append(Pair(uuid.uuid4(), programme.programme_id, mentor.participant_id, mentee.participant_id,
                         mentee.country, proposal.language, proposal.score))
    load = Counter(p.mentor_id for p in made)
    for mentor_id, taken in load.items():
        mentor = by_id[mentor_id]
        assert taken <= (1 if mentor.role == "both" else (mentor.capacity or programme.policy.mentor_capacity))
    in_pairs = Counter(x for p in made for x in (p.mentee_id,) + ((p.mentor_id,) if by_id[p.mentor_id].role == "both"
                                                                  else ()))
    assert all(n == 1 for n in in_pairs.values()), "a mentee or a `both` participant is in two pairs"
