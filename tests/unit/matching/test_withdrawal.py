from matching import handlers
from shared.contracts import PairCreated, PairDissolved
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.unit.matching.builders import enrolled, person, withdrawn
from tests.unit.matching.test_continuous_pairing import launch


async def test_a_withdrawal_dissolves_the_pair_and_pairs_the_partner_left_behind_with_someone_else():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    spare = person("mentor", pid)  # no mentee free for now: waits
    assert await handlers.add_candidate(enrolled(spare), uow) == []

    made = await handlers.withdraw(withdrawn(mentor), uow)

    dissolved = [e for e in uow.events() if isinstance(e, PairDissolved)]
    assert len(dissolved) == 1 and dissolved[0].withdrawn_participant_id == mentor.participant_id
    assert dissolved[0].reason == "participant_withdrew"
    assert [(p.mentor_id, p.mentee_id) for p in made] == [(spare.participant_id, mentee.participant_id)]
    assert isinstance(uow.events()[-1], PairCreated)


async def test_other_pairs_are_not_disturbed_and_a_dissolved_couple_is_never_proposed_again():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow, mentor_capacity=2)
    mentor = person("mentor", pid)
    first, second = person("mentee", pid), person("mentee", pid)
    for c in (mentor, first, second):
        await handlers.add_candidate(enrolled(c), uow)
    untouched = {p.pair_id: p.version for p in uow.pairs.active if p.mentee_id == second.participant_id}
    await handlers.withdraw(withdrawn(first), uow)
    assert {p.pair_id: p.version for p in uow.pairs.active} == untouched

    # The mentor lost a mentee and has a seat again; the new mentee fills it.
    newcomer = person("mentee", pid)
    assert [p.mentor_id for p in await handlers.add_candidate(enrolled(newcomer), uow)] == [mentor.participant_id]


async def test_the_partner_is_not_paired_again_with_the_person_they_were_dissolved_from():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    [pair] = uow.pairs.active
    pair.status = "dissolved"  # e.g. dissolved by a manager earlier, through another instance:
    uow.cache.entries.clear()  # this process reads the pool again
    other = person("mentor", pid)
    made = await handlers.add_candidate(enrolled(other), uow)
    assert [p.mentor_id for p in made] == [other.participant_id]
    await handlers.withdraw(withdrawn(other), uow)
    assert all(p.mentor_id != mentor.participant_id for p in uow.pairs.active)


async def test_a_withdrawal_seen_before_the_enrollment_keeps_the_participant_out_of_the_pool():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    ghost = person("mentor", pid)
    assert await handlers.withdraw(withdrawn(ghost), uow) == []
    await handlers.add_candidate(enrolled(person("mentee", pid)), uow)
    assert await handlers.add_candidate(enrolled(ghost), uow) == []
    assert uow.pairs.items == {}


async def test_replaying_a_withdrawal_changes_nothing_more():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    command = withdrawn(mentee)
    await handlers.withdraw(command, uow)
    before = len(uow.events())
    assert await handlers.withdraw(command, uow) == []
    assert len(uow.events()) == before
