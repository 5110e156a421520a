"""After pairing: a member's new data that breaks a hard rule, and a pair scheduling gave up on."""

import uuid
from dataclasses import replace
from datetime import date

from matching import handlers
from matching.domain.commands import RecordProgramme
from matching.domain.model import Slot
from matching.domain.programme import Policy
from matching.revisions import DissolveUnschedulable, UpdateCandidate, dissolve_unschedulable, update_candidate
from shared.availability import ProgrammeCalendar
from shared.contracts import PairCreated, PairDissolved
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.unit.matching.builders import enrolled, person
from tests.unit.matching.test_continuous_pairing import launch

JANUARY_TO_JUNE = ProgrammeCalendar(date(2027, 1, 11), date(2027, 6, 30), 6, 60, 14)


def updated(c) -> UpdateCandidate:
    return UpdateCandidate(c, correlation_id=uuid.uuid4(), causation_id=uuid.uuid4())


async def test_a_member_who_drops_the_shared_language_is_unpaired_with_the_rule_as_reason_and_both_re_paired():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    mentee, mentor = person("mentee", pid, languages=("fr", "en")), person("mentor", pid, languages=("fr",))
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    english = person("mentor", pid, languages=("en",))
    assert await handlers.add_candidate(enrolled(english), uow) == []  # no free mentee: waits

    made = await update_candidate(updated(replace(mentor, languages=["de"], version=0)), uow)

    [dissolved] = [e for e in uow.events() if isinstance(e, PairDissolved)]
    assert (dissolved.reason, dissolved.detail) == ("no_longer_compatible", "no_shared_language")
    assert [(p.mentor_id, p.mentee_id) for p in made] == [(english.participant_id, mentee.participant_id)]


async def test_an_update_that_keeps_the_pair_feasible_changes_nothing_but_the_data():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    before = len(uow.events())
    assert await update_candidate(updated(replace(mentee, seniority_level=9, version=0)), uow) == []
    assert len(uow.events()) == before and (await uow.candidates.get(mentee.participant_id)).seniority_level == 9


async def test_new_availability_without_a_whole_series_in_common_dissolves_the_pair():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    await handlers.record_programme(RecordProgramme(pid, Policy(calendar=JANUARY_TO_JUNE)), uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    saturdays = replace(mentee, availability=[Slot(5, "09:00", "12:00")], version=0)
    await update_candidate(updated(saturdays), uow)
    [dissolved] = [e for e in uow.events() if isinstance(e, PairDissolved)]
    assert dissolved.detail == "no_availability_overlap"


async def test_an_unschedulable_pair_is_dissolved_and_its_members_paired_elsewhere_never_together_again():
    uow = FakeMatchingUnitOfWork()
    pid = await launch(uow)
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    for c in (mentee, mentor):
        await handlers.add_candidate(enrolled(c), uow)
    other_mentor = person("mentor", pid)
    await handlers.add_candidate(enrolled(other_mentor), uow)
    [pair] = uow.pairs.active
    cmd = DissolveUnschedulable(pair.pair_id, pid, "fully_booked", uuid.uuid4(), uuid.uuid4())

    made = await dissolve_unschedulable(cmd, uow)
    assert await dissolve_unschedulable(cmd, uow) == [], "a redelivery changes nothing"

    [dissolved] = [e for e in uow.events() if isinstance(e, PairDissolved)]
    assert (dissolved.reason, dissolved.detail) == ("unschedulable", "fully_booked")
    assert [(p.mentor_id, p.mentee_id) for p in made] == [(other_mentor.participant_id, mentee.participant_id)]
    assert isinstance(uow.events()[-1], PairCreated)
