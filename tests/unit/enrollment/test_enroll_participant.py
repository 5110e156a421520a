import uuid
from datetime import date

import pytest
from cryptography.exceptions import InvalidTag

from enrollment import handlers
from enrollment.domain.commands import EnrollParticipant, LaunchProgramme, WithdrawParticipant
from enrollment.domain.errors import Conflict, Invalid, NotFound
from enrollment.domain.model import Skill, Slot
from shared.contracts import (
    ParticipantEnrolled,
    ParticipantErased,
    ParticipantKey,
    ParticipantProfile,
    ParticipantUpdated,
    ParticipantWithdrawn,
    ProgrammeLaunched,
)
from shared.crypto.sealing import new_data_key, unseal
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork

CORRELATION = uuid.uuid4()


def launch(code: str = "AXA-2026", **overrides) -> LaunchProgramme:
    fields = dict(code=code, name="Digital natives", countries=["FR", "DE"], languages=["fr", "en"],
                  sessions_per_pair=6, session_minutes=60, cadence_days=14, correlation_id=CORRELATION)
    return LaunchProgramme(**{**fields, **overrides})


def enroll(programme_id, employee_id="E1", **overrides) -> EnrollParticipant:
    fields = dict(programme_id=programme_id, employee_id=employee_id, display_name="Ada", email="ada@example.com",
                  role="mentor", country="FR", languages=["fr"], time_zone="Europe/Paris", seniority_level=2,
                  department="IT", availability=[Slot.parse(0, "09:00", "12:00")], correlation_id=CORRELATION,
                  today=date(2026, 11, 21))
    return EnrollParticipant(**{**fields, **overrides})


def profile_of(event: ParticipantEnrolled, uow) -> ParticipantProfile:
    key = next(e for e in uow.participants.events if isinstance(e, ParticipantKey)
               and e.participant_id == event.participant_id)
    return unseal(event.profile, key.data_key, event.participant_id, ParticipantProfile)


async def launched(uow):
    programme, _ = await handlers.launch_programme(launch(), uow)
    return programme


async def test_launching_a_programme_publishes_what_matching_and_scheduling_need():
    uow = FakeEnrollmentUnitOfWork()
    programme, created = await handlers.launch_programme(launch(), uow)
    assert created and uow.committed
    [event] = uow.events
    assert isinstance(event, ProgrammeLaunched)
    assert (event.programme_id, event.sessions_per_pair) == (programme.programme_id, 6)
    assert event.correlation_id == CORRELATION


async def test_launching_the_same_code_twice_is_idempotent_but_different_settings_conflict():
    uow = FakeEnrollmentUnitOfWork()
    first, _ = await handlers.launch_programme(launch(), uow)
    again, created = await handlers.launch_programme(launch(), uow)
    assert (again.programme_id, created, len(uow.events)) == (first.programme_id, False, 1)
    with pytest.raises(Conflict):
        await handlers.launch_programme(launch(name="Something else"), uow)


async def test_enrolling_publishes_participant_enrolled_without_name_email_or_employee_ids():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    participant, outcome = await handlers.enroll_participant(
        enroll(programme.programme_id, department="Quantum Ledger Operations"), uow)
    key, event = uow.participants.events
    assert outcome == "enrolled" and isinstance(event, ParticipantEnrolled)
    assert isinstance(key, ParticipantKey) and key.participant_id == event.participant_id == participant.participant_id
    assert set(event.model_dump()) - set(ParticipantErased.model_fields) == {"profile"}, "attributes travel sealed"
    attributes = unseal(event.profile, key.data_key, event.participant_id, ParticipantProfile)
    assert attributes.availability[0].start == "09:00" and attributes.availability[0].end == "12:00"
    assert "Quantum Ledger Operations" not in event.model_dump_json() and attributes.department
    with pytest.raises(InvalidTag):  # under anyone else's key, or once the key is destroyed, it is noise
        unseal(event.profile, new_data_key(), event.participant_id, ParticipantProfile)


async def test_re_sending_the_same_person_returns_the_existing_enrollment_and_publishes_nothing():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    first, _ = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    again, outcome = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    assert (again.participant_id, outcome) == (first.participant_id, "unchanged")
    assert len(uow.participants.events) == 2  # the key record and ParticipantEnrolled, once


async def test_re_sending_the_same_employee_with_changed_data_updates_and_publishes_participant_updated():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    first, _ = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    changed, outcome = await handlers.enroll_participant(
        enroll(programme.programme_id, role="both", display_name="Ada L."), uow)
    assert (outcome, changed.participant_id, changed.role) == ("updated", first.participant_id, "both")
    update = uow.participants.events[-1]
    assert isinstance(update, ParticipantUpdated) and profile_of(update, uow).role == "both"
    assert update.changed == ["role"], "a changed name is applied but not announced: it is not in the event"


async def test_a_withdrawn_participant_is_not_silently_re_enrolled_by_a_re_send():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    participant, _ = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    await handlers.withdraw_participant(
        WithdrawParticipant(programme.programme_id, participant.participant_id, "withdrew", CORRELATION), uow)
    with pytest.raises(Conflict) as err:
        await handlers.enroll_participant(enroll(programme.programme_id, role="mentee"), uow)
    assert err.value.field == "employee_id"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"country": "JP"}, "country"),
        ({"languages": ["xx"]}, "languages"),
        ({"languages": ["de"]}, "languages"),
        ({"availability": [Slot.parse(1, "10:00", "09:00")]}, "availability.0"),
        ({"availability": [Slot.parse(1, "09:00", "11:00"), Slot.parse(1, "10:00", "12:00")]}, "availability.1"),
        ({"skills": (Skill("ai-assistants", 3, 0), Skill("knitting", 1, 4))}, "skills.1.topic"),
        ({"skills": (Skill("innovation", 3, 0), Skill("innovation", 1, 4))}, "skills.1.topic"),
        ({"manager_employee_id": "E1"}, "manager_employee_id"),
        ({"consents": ("contact_by_email",)}, "consents"),
    ],
)
async def test_invalid_participants_are_refused_naming_the_field(overrides, field):
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    with pytest.raises(Invalid) as err:
        await handlers.enroll_participant(enroll(programme.programme_id, **overrides), uow)
    assert err.value.field == field
    assert uow.participants.items == {}


async def test_enrolling_in_an_unknown_programme_is_not_found():
    with pytest.raises(NotFound):
        await handlers.enroll_participant(enroll(uuid.uuid4()), FakeEnrollmentUnitOfWork())


async def test_the_manager_travels_as_a_participant_id_so_reporting_lines_can_be_kept_apart_anonymously():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    skills = (Skill("ai-assistants", 4, 0), Skill("work-life-balance", 1, 3))
    await handlers.enroll_participant(enroll(programme.programme_id, "E2", manager_employee_id="BOSS-7",
                                             skills=skills, must_match=True), uow)
    event = profile_of(uow.participants.events[-1], uow)
    boss, _ = await handlers.enroll_participant(enroll(programme.programme_id, "boss-7", email="boss@example.com"), uow)
    assert event.manager_participant_id == boss.participant_id  # allocated when first named, whatever the case
    assert [(s.topic, s.proficiency, s.wish) for s in event.skills] == [("ai-assistants", 4, 0),
                                                                         ("work-life-balance", 1, 3)]
    assert event.must_match is True


async def test_a_one_to_one_programme_cannot_give_mentors_several_mentees():
    with pytest.raises(Invalid) as err:
        await handlers.launch_programme(launch(mentor_capacity=3), FakeEnrollmentUnitOfWork())
    assert err.value.field == "mentor_capacity"
    group, _ = await handlers.launch_programme(launch(code="DANONE", format="group", mentor_capacity=10),
                                               FakeEnrollmentUnitOfWork())
    assert group.mentor_capacity == 10


async def test_withdrawing_publishes_once_and_a_different_reason_afterwards_conflicts():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    participant, _ = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    withdraw = WithdrawParticipant(programme.programme_id, participant.participant_id, "withdrew", CORRELATION)
    await handlers.withdraw_participant(withdraw, uow)
    await handlers.withdraw_participant(withdraw, uow)
    withdrawals = [e for e in uow.participants.events if isinstance(e, ParticipantWithdrawn)]
    assert len(withdrawals) == 1 and withdrawals[0].participant_id == participant.participant_id
    assert (await uow.participants.get(participant.participant_id)).status == "withdrawn"
    with pytest.raises(Conflict):
        await handlers.withdraw_participant(
            WithdrawParticipant(programme.programme_id, participant.participant_id, "left_company", CORRELATION), uow)


async def test_withdrawing_someone_unknown_in_this_programme_is_not_found():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    participant, _ = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    with pytest.raises(NotFound):
        await handlers.withdraw_participant(
            WithdrawParticipant(uuid.uuid4(), participant.participant_id, "withdrew", CORRELATION), uow)


async def test_erasing_publishes_participant_erased_once_and_a_second_request_finds_no_one():
    from enrollment.domain.commands import EraseParticipant
    from shared.contracts import ParticipantErased

    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    participant, _ = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    erase = EraseParticipant(programme.programme_id, participant.participant_id, CORRELATION)
    await handlers.erase_participant(erase, uow)
    [event] = [e for e in uow.participants.events if isinstance(e, ParticipantErased)]
    assert event.participant_id == participant.participant_id
    assert (await uow.participants.get(participant.participant_id)).status == "erased"
    with pytest.raises(NotFound):
        await handlers.erase_participant(erase, uow)
    again, outcome = await handlers.enroll_participant(enroll(programme.programme_id, role="mentee"), uow)
    assert outcome == "enrolled" and again.participant_id != participant.participant_id
    enrolled = [e for e in uow.participants.events if isinstance(e, ParticipantEnrolled)]
    assert len({e.event_id for e in enrolled}) == 2  # a new person: new id, new event id, seen by every consumer


async def test_participant_ids_are_random_not_computable_from_the_employee_id():
    first, second = FakeEnrollmentUnitOfWork(), FakeEnrollmentUnitOfWork()
    a, _ = await handlers.enroll_participant(enroll((await launched(first)).programme_id), first)
    b, _ = await handlers.enroll_participant(enroll((await launched(second)).programme_id), second)
    assert a.participant_id != b.participant_id and a.participant_id.version == 4


async def test_employee_ids_differing_only_in_letter_case_are_one_person():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    first, _ = await handlers.enroll_participant(enroll(programme.programme_id, "ab-12"), uow)
    again, outcome = await handlers.enroll_participant(enroll(programme.programme_id, "AB-12"), uow)
    assert again.participant_id == first.participant_id and outcome == "unchanged"


async def test_an_email_already_used_by_another_employee_is_refused_whatever_its_case():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    await handlers.enroll_participant(enroll(programme.programme_id, "E1", email="Ada@Example.com"), uow)
    with pytest.raises(Conflict) as err:
        await handlers.enroll_participant(enroll(programme.programme_id, "E2", email="ada@example.COM"), uow)
    assert err.value.field == "email"


async def test_withdrawing_after_an_erasure_is_refused_and_the_tombstone_stays_a_tombstone():
    from enrollment.domain.commands import EraseParticipant

    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    participant, _ = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    await handlers.erase_participant(EraseParticipant(programme.programme_id, participant.participant_id,
                                                      CORRELATION), uow)
    with pytest.raises(NotFound):
        await handlers.withdraw_participant(WithdrawParticipant(programme.programme_id, participant.participant_id,
                                                                "withdrew", CORRELATION), uow)
    assert (await uow.participants.get(participant.participant_id)).status == "erased"


async def test_a_programme_without_dates_runs_from_the_day_after_its_launch_and_a_resend_keeps_them():
    uow = FakeEnrollmentUnitOfWork()
    programme, _ = await handlers.launch_programme(launch(today=date(2027, 1, 10)), uow)
    assert (programme.starts_on, programme.ends_on) == (date(2027, 1, 11), date(2027, 7, 12))
    [event] = uow.events
    assert (event.starts_on, event.ends_on, event.schema_version) == (date(2027, 1, 11), date(2027, 7, 12), 2)
    again, created = await handlers.launch_programme(launch(today=date(2027, 2, 1)), uow)
    assert not created and again.starts_on == date(2027, 1, 11)


async def test_the_region_is_validated_against_the_country_and_published():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    with pytest.raises(Invalid) as refused:
        await handlers.enroll_participant(enroll(programme.programme_id, region="DE-BY"), uow)
    assert refused.value.field == "region"
    await handlers.enroll_participant(enroll(programme.programme_id, country="DE", region="DE-BY"), uow)
    event = uow.participants.events[-1]
    assert isinstance(event, ParticipantEnrolled) and profile_of(event, uow).region == "DE-BY"
