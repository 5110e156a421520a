"""Property-based checks of a round on small random programmes, `both` participants included: the
must-match coverage and the total value equal an independent exact MILP over every feasible couple
(each `both` free to mentor or be mentored); no proposal breaks a hard rule; no seat is overbooked;
input order does not matter; newcomers paired one by one in continuous mode obey the same rules."""

import random
import uuid
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.domain.continuous import pair_one
from matching.domain.model import Candidate, Pair, Skill, Slot
from matching.domain.pool import Pool
from matching.domain.programme import PairRule, Policy, Programme
from matching.domain.rounds import plan_round
from tests.properties import examples
from tests.unit.matching import reference
from tests.unit.matching.milp import optimum

ZONES = [("FR", "Europe/Paris"), ("JP", "Asia/Tokyo"), ("BR", "America/Sao_Paulo"), ("IN", "Asia/Kolkata")]
HOURS = ["00:00", "06:00", "08:30", "09:00", "12:00", "13:30", "17:00", "20:00", "24:00"]
SENIORITY = {"mentee": (4, 10), "mentor": (1, 6), "both": (1, 10)}


@st.composite
def candidates(draw, programme_id: uuid.UUID, role: str, managers: list[uuid.UUID]) -> Candidate:
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
        manager_id=draw(st.sampled_from([None, *managers])) if managers else None,
        skills=skills, must_match=draw(st.booleans()) if role != "mentor" or draw(st.integers(0, 5)) == 0 else False,
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
    bosses = [c.participant_id for c in mentees] + [uuid.uuid4()]  # one manager who is not enrolled
    mentors = draw(st.lists(candidates(pid, "mentor", bosses), min_size=1, max_size=4))
    both = draw(st.lists(candidates(pid, "both", bosses), max_size=4))
    people = list({c.participant_id: c for c in [*mentees, *mentors, *both]}.values())
    givers = [c for c in people if c.can_mentor()]
    takers = [c for c in people if c.can_be_mentored()]
    couples = [(g, t) for g in givers for t in takers if g is not t]
    dissolved = [Pair(uuid.uuid4(), pid, g.participant_id, t.participant_id, "FR", "fr", 0.0, status="dissolved")
                 for g, t in draw(st.lists(st.sampled_from(couples), max_size=2))] if couples else []
    forbidden = [PairRule(g.participant_id, t.participant_id, "forbidden")
                 for g, t in draw(st.lists(st.sampled_from(couples), max_size=2))] if couples else []
    return Programme(pid, policy, launched=True, rules=forbidden), people, dissolved


PROPERTY = settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(programmes())
def test_must_match_coverage_then_total_value_equal_an_independent_milp_with_both_roles_free(case):
    programme, people, pairs = case
    plan = plan_round(Pool(programme, people, pairs))
    best = optimum(programme, people, pairs)
    assert (plan.must_matched, plan.objective) == (best.must_matched, best.objective)


@PROPERTY
@given(programmes())
def test_no_proposal_breaks_a_hard_rule_or_an_exclusion_and_its_score_matches_the_reference(case):
    programme, people, pairs = case
    plan = plan_round(Pool(programme, people, pairs))
    by_id = {c.participant_id: c for c in people}
    excluded = Pool(programme, people, pairs).excluded()
    for p in plan.proposals:
        mentor, mentee = by_id[p.mentor_id], by_id[p.mentee_id]
        assert reference.feasible(mentor, mentee, programme.policy), (mentor, mentee)
        assert (p.mentor_id, p.mentee_id) not in excluded
        assert p.language in mentor.languages and p.language in mentee.languages
        expected = reference.breakdown(mentor, mentee, programme.policy)
        assert all(abs(p.breakdown[k] - v) < 1e-3 for k, v in expected.items()), (p.breakdown, expected)


@PROPERTY
@given(programmes())
def test_no_seat_is_overbooked_and_a_both_participant_sits_in_one_pair_on_one_side(case):
    programme, people, pairs = case
    plan = plan_round(Pool(programme, people, pairs))
    by_id = {c.participant_id: c for c in people}
    per_mentor = Counter(p.mentor_id for p in plan.proposals)
    for mentor_id, taken in per_mentor.items():
        mentor = by_id[mentor_id]
        assert taken <= (1 if mentor.role == "both" else (mentor.capacity or programme.policy.mentor_capacity))
    members = Counter(x for p in plan.proposals for x in (p.mentee_id, p.mentor_id) if by_id[x].role != "mentor")
    assert all(n == 1 for n in members.values()), "a mentee or a `both` participant is in two pairs"
    assert not {p.mentee_id for p in plan.proposals} & {u.participant_id for u in plan.unmatched}


@PROPERTY
@given(programmes(), st.randoms(use_true_random=False))
def test_the_same_programme_in_any_order_gives_the_same_pairs(case, rng: random.Random):
    programme, people, pairs = case
    shuffled = list(people)
    rng.shuffle(shuffled)
    first = plan_round(Pool(programme, people, pairs))
    again = plan_round(Pool(programme, shuffled, pairs))
    assert sorted((p.mentor_id, p.mentee_id) for p in first.proposals) == \
        sorted((p.mentor_id, p.mentee_id) for p in again.proposals)


@PROPERTY
@given(programmes())
def test_pairing_newcomers_one_by_one_never_breaks_a_rule_nor_overbooks_a_seat(case):
    programme, people, pairs = case
    by_id = {c.participant_id: c for c in people}
    pool = Pool(programme, [], pairs)
    excluded = pool.excluded()
    made: list[Pair] = []
    for newcomer in people:
        pool.put_candidate(newcomer)
        while (proposal := pair_one(pool, newcomer.participant_id)) is not None:
            mentor, mentee = by_id[proposal.mentor_id], by_id[proposal.mentee_id]
            assert newcomer in (mentor, mentee)
            assert reference.feasible(mentor, mentee, programme.policy)
            assert (mentor.participant_id, mentee.participant_id) not in excluded
            pair = Pair(uuid.uuid4(), programme.programme_id, mentor.participant_id, mentee.participant_id,
                        mentee.country, proposal.language, proposal.score)
            pool.put_pair(pair)
            made.append(pair)
    load = Counter(p.mentor_id for p in made)
    for mentor_id, taken in load.items():
        mentor = by_id[mentor_id]
        assert taken <= (1 if mentor.role == "both" else (mentor.capacity or programme.policy.mentor_capacity))
    members = Counter(x for p in made for x in (p.mentee_id, p.mentor_id) if by_id[x].role != "mentor")
    assert all(n == 1 for n in members.values()), "a mentee or a `both` participant is in two pairs"
