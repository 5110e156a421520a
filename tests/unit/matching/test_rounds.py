import uuid

import pytest

from matching import handlers
from matching.domain.commands import DecideRound, PreviewRound, SetMode, SetPairRule
from matching.domain.errors import Conflict, Invalid, NotFound
from shared.contracts import PairCreated
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.unit.matching.builders import enrolled, person, skills, withdrawn
from tests.unit.matching.test_continuous_pairing import launch


async def rounds_programme(uow: FakeMatchingUnitOfWork, **policy) -> uuid.UUID:
    pid = await launch(uow, **policy)
    await handlers.set_mode(SetMode(pid, "rounds"), uow)
    return pid


def publish(pid, round_id, decision="publish") -> DecideRound:
    return DecideRound(pid, round_id, uuid.uuid4(), decision)


async def test_a_round_previews_the_best_total_then_publishing_emits_one_pair_created_per_proposal():
    uow = FakeMatchingUnitOfWork()
    pid = await rounds_programme(uow)
    # Greedy in arrival order gives `a` the copilot expert (0.8 of a's wish vs 0.4) and `b` the video
    # mentor (0.25): 1.05 in total. The optimum crosses them over: b 1.0 + a 0.4 = 1.4.
    a = person("mentee", pid, skills=skills(copilot=(0, 4), video=(0, 1)))
    b = person("mentee", pid, skills=skills(copilot=(0, 1)))
    strong = person("mentor", pid, skills=skills(copilot=(4, 0), video=(0, 0)))
    video = person("mentor", pid, skills=skills(copilot=(1, 0), video=(4, 0)))
    for c in (a, b, strong, video):
        await handlers.add_candidate(enrolled(c), uow)
    round_, created = await handlers.preview_round(PreviewRound(pid), uow)
    assert created and round_.status == "preview" and uow.events() == []
    chosen = {(p.mentor_id, p.mentee_id) for p in round_.proposals}
    assert chosen == {(strong.participant_id, b.participant_id), (video.participant_id, a.participant_id)}

    published = await handlers.decide_round(publish(pid, round_.round_id), uow)
    assert published.status == "published" and published.published_pairs == 2
    assert {(e.mentor.participant_id, e.mentee.participant_id) for e in uow.events()
            if isinstance(e, PairCreated)} == chosen
    assert uow.programme(pid).pending_round_id is None


async def test_previewing_twice_returns_the_pending_round_and_publishing_twice_publishes_once():
    uow = FakeMatchingUnitOfWork()
    pid = await rounds_programme(uow)
    for c in (person("mentee", pid), person("mentor", pid)):
        await handlers.add_candidate(enrolled(c), uow)
    first, _ = await handlers.preview_round(PreviewRound(pid), uow)
    again, created = await handlers.preview_round(PreviewRound(pid), uow)
    assert not created and again.round_id == first.round_id
    await handlers.decide_round(publish(pid, first.round_id), uow)
    await handlers.decide_round(publish(pid, first.round_id), uow)
    assert len(uow.events()) == 1
    with pytest.raises(Conflict):
        await handlers.decide_round(publish(pid, first.round_id, "discard"), uow)
    with pytest.raises(NotFound):
        await handlers.decide_round(publish(pid, uuid.uuid4()), uow)


async def test_a_discarded_round_publishes_nothing_and_resumes_continuous_pairing():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
    await handlers.decide_round(publish(pid, round_.round_id, "discard"), uow)
    assert await handlers.add_candidate(enrolled(person("mentor", pid)), uow) != []


async def test_every_participant_left_out_gets_a_reason():
    uow = FakeMatchingUnitOfWork()
    pid = await rounds_programme(uow)
    german = person("mentee", pid, ["de"])
    taken = person("mentee", pid)
    winner = person("mentee", pid, must_match=True)
    lonely_mentor = person("mentor", pid, ["ja"])
    for c in (german, taken, winner, person("mentor", pid), lonely_mentor):
        await handlers.add_candidate(enrolled(c), uow)
    round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
    assert [p.mentee_id for p in round_.proposals] == [winner.participant_id]
    reasons = {u.participant_id: u.reason for u in round_.unmatched}
    assert reasons == {german.participant_id: "no_shared_language", taken.participant_id: "no_capacity_left",
                       lonely_mentor.participant_id: "no_shared_language"}


async def test_a_pinned_couple_is_kept_and_a_forbidden_one_never_proposed():
    uow = FakeMatchingUnitOfWork()
    pid = await rounds_programme(uow)
    good = person("mentor", pid, skills=skills(copilot=(4, 0)))
    plain = person("mentor", pid)
    fan, other = person("mentee", pid, skills=skills(copilot=(0, 4))), person("mentee", pid)
    for c in (good, plain, fan, other):
        await handlers.add_candidate(enrolled(c), uow)
    for mentor in (good, plain):
        await handlers.set_pair_rule(SetPairRule(pid, mentor.participant_id, fan.participant_id, "forbidden"), uow)
    await handlers.set_pair_rule(SetPairRule(pid, plain.participant_id, other.participant_id, "pinned"), uow)
    _, changed = await handlers.set_pair_rule(
        SetPairRule(pid, plain.participant_id, other.participant_id, "pinned"), uow)
    assert not changed
    round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
    chosen = {(p.mentor_id, p.mentee_id, p.pinned) for p in round_.proposals}
    assert chosen == {(plain.participant_id, other.participant_id, True)}
    assert {u.participant_id: u.reason for u in round_.unmatched}[fan.participant_id] \
        == "only_dissolved_or_forbidden_pairs"


async def test_a_pair_rule_names_participants_of_the_programme_in_the_right_roles():
    uow = FakeMatchingUnitOfWork()
    pid = await rounds_programme(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    with pytest.raises(Invalid) as wrong_way:
        await handlers.set_pair_rule(SetPairRule(pid, mentee.participant_id, mentor.participant_id, "pinned"), uow)
    assert wrong_way.value.field == "mentor_id"
    with pytest.raises(NotFound) as unknown:
        await handlers.set_pair_rule(SetPairRule(pid, mentor.participant_id, uuid.uuid4(), "pinned"), uow)
    assert unknown.value.field == "mentee_id"


async def test_a_proposal_whose_member_withdrew_after_the_preview_is_not_published():
    uow = FakeMatchingUnitOfWork()
    pid = await rounds_programme(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    stays, stays_mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor, stays, stays_mentor):
        await handlers.add_candidate(enrolled(c), uow)
    round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
    leaver = next(c for c in (mentee, stays) if c.participant_id == round_.proposals[0].mentee_id)
    await handlers.withdraw(withdrawn(leaver), uow)
    published = await handlers.decide_round(publish(pid, round_.round_id), uow)
    assert published.published_pairs == 1
    assert all(leaver.participant_id not in p.members() for p in uow.pairs.active)
