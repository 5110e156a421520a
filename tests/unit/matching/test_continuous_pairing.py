import uuid

from matching import handlers
from matching.domain.commands import PreviewRound, RecordProgramme, SetMode
from matching.domain.model import Slot
from matching.domain.programme import Policy
from shared.contracts import MemberProfile, PairCreated
from shared.crypto.sealing import unseal
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.unit.matching.builders import enrolled, person, skills


async def launch(uow: FakeMatchingUnitOfWork, **policy) -> uuid.UUID:
    pid = uuid.uuid4()
    await handlers.record_programme(RecordProgramme(pid, Policy(**policy)), uow)
    return pid


async def test_a_junior_mentor_and_a_senior_mentee_sharing_a_language_become_a_pair_with_an_explained_score():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    mentee = person("mentee", pid, ["en", "fr"], skills=skills(ai_prompting=(0, 4), copilot=(1, 2)))
    mentor = person("mentor", pid, ["fr"], skills=skills(ai_prompting=(4, 0), copilot=(0, 0)))
    assert await handlers.add_candidate(enrolled(mentee), uow) == []
    [pair] = await handlers.add_candidate(enrolled(mentor), uow)
    assert (pair.mentor_id, pair.mentee_id, pair.language) == (
        mentor.participant_id, mentee.participant_id, "fr")
    [event] = uow.events()
    assert isinstance(event, PairCreated) and event.mentee.participant_id == mentee.participant_id
    assert set(event.score_breakdown) == {"complementarity", "availability", "time_zone"}
    assert abs(sum(event.score_breakdown.values()) - event.score) < 1e-3
    assert event.learning_directions == {"ai-prompting": "mentor_teaches"}


async def test_no_pair_without_a_shared_language_or_when_the_mentor_is_not_junior():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.add_candidate(enrolled(person("mentee", pid, ["de"], seniority=5)), uow)
    assert await handlers.add_candidate(enrolled(person("mentor", pid, ["fr"])), uow) == []
    assert await handlers.add_candidate(enrolled(person("mentor", pid, ["de"], seniority=7)), uow) == []
    assert uow.events() == []


async def test_the_reporting_line_and_if_configured_the_department_are_kept_apart():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, exclude_same_department=True)
    boss = person("mentee", pid, department="it")
    await handlers.add_candidate(enrolled(boss), uow)
    assert await handlers.add_candidate(enrolled(person("mentor", pid, manager_id=boss.participant_id,
                                                        department="hr")), uow) == []
    assert await handlers.add_candidate(enrolled(person("mentor", pid, department="it")), uow) == []
    assert await handlers.add_candidate(enrolled(person("mentor", pid, department="hr")), uow) != []


async def test_office_hours_that_never_meet_across_time_zones_prevent_a_pair():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.add_candidate(enrolled(person("mentee", pid, time_zone="Asia/Tokyo",
                                                 availability=[Slot(0, "09:00", "12:00")])), uow)
    paris_morning = [Slot(0, "09:00", "12:00")]
    assert await handlers.add_candidate(enrolled(person("mentor", pid, availability=paris_morning)), uow) == []
    # 09:00-12:00 in Tokyo is 01:00-04:00 in Paris (winter): a night owl in Paris can meet.
    night = [Slot(0, "02:00", "04:00")]
    assert await handlers.add_candidate(enrolled(person("mentor", pid, availability=night)), uow) != []


async def test_a_mentor_takes_mentees_up_to_the_programme_capacity_and_then_no_more():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, mentor_capacity=2)
    mentor = person("mentor", pid)
    await handlers.add_candidate(enrolled(mentor), uow)
    made = [await handlers.add_candidate(enrolled(person("mentee", pid)), uow) for _ in range(3)]
    assert [len(p) for p in made] == [1, 1, 0]
    assert {p.mentor_id for p in uow.pairs.active} == {mentor.participant_id}


async def test_a_new_mentor_serves_a_waiting_must_match_mentee_before_a_better_scoring_one():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    eager = person("mentee", pid, skills=skills(copilot=(0, 4)))
    executive = person("mentee", pid, must_match=True)
    for c in (eager, executive):
        await handlers.add_candidate(enrolled(c), uow)
    pairs = await handlers.add_candidate(enrolled(person("mentor", pid, skills=skills(copilot=(4, 0)))), uow)
    assert [p.mentee_id for p in pairs] == [executive.participant_id]


async def test_replaying_the_enrollment_that_made_a_pair_makes_no_second_pair():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    await handlers.add_candidate(enrolled(mentee), uow)
    first = await handlers.add_candidate(enrolled(mentor), uow)
    again = await handlers.add_candidate(enrolled(mentor), uow)
    assert len(first) == 1 and again == []
    assert len(uow.pairs.items) == 1 and len(uow.events()) == 1


async def test_while_a_round_is_pending_newcomers_wait_for_it():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    await handlers.preview_round(PreviewRound(pid), uow)
    assert await handlers.add_candidate(enrolled(person("mentor", pid)), uow) == []
    assert uow.programme(pid).pending_round_id is not None and uow.events() == []


async def test_in_rounds_mode_newcomers_wait_for_the_next_round():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.set_mode(SetMode(pid, "rounds"), uow)
    await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    assert await handlers.add_candidate(enrolled(person("mentor", pid)), uow) == []
    round_, _ = await handlers.preview_round(PreviewRound(pid), uow)
    assert len(round_.proposals) == 1


async def test_a_mentor_taking_several_mentees_is_sealed_once_for_the_decision_and_each_copy_opens():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, mentor_capacity=3)
    mentees = [person("mentee", pid, ["fr"]) for _ in range(3)]
    for m in mentees:
        await handlers.add_candidate(enrolled(m), uow)
    mentor = person("mentor", pid, ["fr"])
    assert len(await handlers.add_candidate(enrolled(mentor), uow)) == 3
    events = [e for e in uow.events() if isinstance(e, PairCreated)]
    assert len({e.mentor.profile.ciphertext for e in events}) == 1  # one seal, in the three events
    assert len({e.mentee.profile.ciphertext for e in events}) == 3
    key = await uow.keys.get(mentor.participant_id)
    opened = unseal(events[0].mentor.profile, key, mentor.participant_id, MemberProfile)
    assert (opened.country, opened.time_zone) == (mentor.country, mentor.time_zone)
