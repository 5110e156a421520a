"""Pins obey the hard rules unless a manager's override (who, why) is recorded and shown; reporting
lines, same manager included, are kept apart; any number of languages counts."""

import uuid

import pytest

from matching import handlers
from matching.domain.commands import PreviewRound, SetMode, SetPairRule
from matching.domain.continuous import pair_one
from matching.domain.errors import Invalid
from matching.domain.pool import Pool
from matching.domain.programme import PairRule
from shared.contracts import PairCreated
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.unit.matching.builders import enrolled, person, programme, skills
from tests.unit.matching.test_continuous_pairing import launch
from tests.unit.matching.test_rounds import publish


async def _rounds(uow, **policy) -> uuid.UUID:
    pid = await launch(uow, **policy)
    await handlers.set_mode(SetMode(pid, "rounds"), uow)
    return pid


async def test_a_pin_onto_ones_own_manager_without_a_shared_language_is_refused_naming_both_rules():
    uow = FakeMatchingUnitOfWork()
    pid = await _rounds(uow)
    boss = person("mentee", pid, ["de"])
    report = person("mentor", pid, ["fr"], manager_id=boss.participant_id)
    for c in (boss, report):
        await handlers.add_candidate(enrolled(c), uow)
    with pytest.raises(Invalid) as refused:
        await handlers.set_pair_rule(SetPairRule(pid, report.participant_id, boss.participant_id, "pinned"), uow)
    assert refused.value.field == "override"
    assert "no_shared_language" in refused.value.reason and "only_same_reporting_line" in refused.value.reason
    assert uow.programme(pid).rules == []


async def test_an_overridden_pin_is_recorded_and_its_pair_says_who_and_why_and_names_no_false_language():
    uow = FakeMatchingUnitOfWork()
    pid = await _rounds(uow)
    boss = person("mentee", pid, ["de"])
    report = person("mentor", pid, ["fr"], manager_id=boss.participant_id)
    for c in (boss, report):
        await handlers.add_candidate(enrolled(c), uow)
    await handlers.set_pair_rule(SetPairRule(pid, report.participant_id, boss.participant_id, "pinned",
                                             "hr.lead@example.com", "interpreter provided"), uow)
    [rule] = uow.programme(pid).rules
    assert rule.override.by == "hr.lead@example.com"
    assert rule.override.rules == ("no_shared_language", "only_same_reporting_line")
    round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
    [proposal] = round_.proposals
    assert proposal.pinned and proposal.override == rule.override and proposal.language == ""
    await handlers.decide_round(publish(pid, round_.round_id), uow)
    [event] = [e for e in uow.events() if isinstance(e, PairCreated)]
    assert event.override.by == "hr.lead@example.com" and event.override.reason == "interpreter provided"
    assert event.override.rules == ["no_shared_language", "only_same_reporting_line"] and event.language == ""


async def test_a_pin_that_breaks_no_rule_needs_no_override_and_a_forbid_always_stands():
    uow = FakeMatchingUnitOfWork()
    pid = await _rounds(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    programme, changed = await handlers.set_pair_rule(
        SetPairRule(pid, mentor.participant_id, mentee.participant_id, "pinned", "someone", "not needed"), uow)
    assert changed and programme.rules[0].override is None
    programme, _ = await handlers.set_pair_rule(
        SetPairRule(pid, mentor.participant_id, mentee.participant_id, "forbidden"), uow)
    assert [r.kind for r in programme.rules] == ["forbidden"]


async def test_two_colleagues_reporting_to_the_same_manager_are_never_paired():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    manager = uuid.uuid4()  # not enrolled: still a reporting line
    colleague = person("mentee", pid, manager_id=manager)
    same_team = person("mentor", pid, manager_id=manager)
    await handlers.add_candidate(enrolled(colleague), uow)
    assert await handlers.add_candidate(enrolled(same_team), uow) == []
    other_team = person("mentor", pid, manager_id=uuid.uuid4())
    assert [p.mentor_id for p in await handlers.add_candidate(enrolled(other_team), uow)] == \
        [other_team.participant_id]


async def test_the_same_manager_rule_holds_in_a_round_too():
    uow = FakeMatchingUnitOfWork()
    pid = await _rounds(uow)
    manager = uuid.uuid4()
    colleague, same_team = person("mentee", pid, manager_id=manager), person("mentor", pid, manager_id=manager)
    for c in (colleague, same_team):
        await handlers.add_candidate(enrolled(c), uow)
    round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
    assert round_.proposals == []
    assert {u.reason for u in round_.unmatched} == {"only_same_reporting_line"}


async def test_two_hundred_languages_all_count_in_continuous_pairing_and_in_rounds():
    languages = [f"l{i:03d}" for i in range(200)]
    for mode in ("continuous", "rounds"):
        uow = FakeMatchingUnitOfWork()
        pid = await launch(uow)
        if mode == "rounds":
            await handlers.set_mode(SetMode(pid, "rounds"), uow)
        crowd = [person("mentee", pid, [languages[i]]) for i in range(150)]  # every language in use
        for c in crowd:
            await handlers.add_candidate(enrolled(c), uow)
        mentee = person("mentee", pid, [languages[150], languages[199]])
        mentor = person("mentor", pid, [languages[199]])
        await handlers.add_candidate(enrolled(mentee), uow)
        made = await handlers.add_candidate(enrolled(mentor), uow)
        if mode == "rounds":
            round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
            made = round_.proposals
        assert [(p.mentor_id, p.mentee_id, p.language) for p in made] == \
            [(mentor.participant_id, mentee.participant_id, languages[199])]


def test_a_forbidden_cross_pair_is_not_made_whichever_of_the_two_arrives_or_on_which_side():
    for newcomer_is_junior in (True, False):
        prog = programme(mentor_capacity=1)
        # Each teaches what the other wishes: a cross pair is possible.
        junior = person("both", prog.programme_id, seniority=3, skills=skills(ai=(4, 0), strategy=(1, 2)))
        senior = person("both", prog.programme_id, seniority=7, skills=skills(ai=(1, 2), strategy=(4, 0)))
        # Named as the cross pair is labelled: the junior mentors.
        prog.rules = [PairRule(junior.participant_id, senior.participant_id, "forbidden")]
        first, newcomer = (senior, junior) if newcomer_is_junior else (junior, senior)
        pool = Pool(prog, [first], [])
        pool.put_candidate(newcomer)
        assert pair_one(pool, newcomer.participant_id) is None
        prog.rules = []  # without the rule they are paired, the junior mentoring
        pool.follow(prog)
        made = pair_one(pool, newcomer.participant_id)
        assert (made.mentor_id, made.mentee_id) == (junior.participant_id, senior.participant_id)
