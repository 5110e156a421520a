import uuid

import pytest

from enrollment import handlers
from enrollment.domain.commands import EnrollParticipant, LaunchProgramme
from enrollment.domain.errors import Conflict, Invalid, NotFound
from enrollment.domain.model import Slot
from shared.contracts import ParticipantEnrolled, ProgrammeLaunched
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork

CORRELATION = uuid.uuid4()


def launch(code: str = "AXA-2026", **overrides) -> LaunchProgramme:
    fields = dict(code=code, name="Digital natives", countries=["FR", "DE"], languages=["fr", "en"],
                  sessions_per_pair=6, session_minutes=60, cadence_days=14, correlation_id=CORRELATION)
    return LaunchProgramme(**{**fields, **overrides})


def enroll(programme_id, employee_id="E1", **overrides) -> EnrollParticipant:
    fields = dict(programme_id=programme_id, employee_id=employee_id, display_name="Ada", email="ada@example.com",
                  role="mentor", country="FR", languages=["fr"], time_zone="Europe/Paris", seniority_level=2,
                  department="IT", availability=[Slot.parse(0, "09:00", "12:00")], correlation_id=CORRELATION)
    return EnrollParticipant(**{**fields, **overrides})


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


async def test_enrolling_publishes_participant_enrolled_without_name_email_or_employee_id():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    participant, created = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    event = uow.participants.events[-1]
    assert created and isinstance(event, ParticipantEnrolled)
    assert event.participant_id == participant.participant_id
    assert event.availability[0].start == "09:00" and event.availability[0].end == "12:00"
    assert not {"display_name", "email", "employee_id", "department"} & set(event.model_dump())


async def test_re_sending_the_same_person_returns_the_existing_enrollment_and_publishes_nothing():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    first, _ = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    again, created = await handlers.enroll_participant(enroll(programme.programme_id), uow)
    assert (again.participant_id, created) == (first.participant_id, False)
    assert len(uow.participants.events) == 1


async def test_re_sending_the_same_employee_with_other_data_is_a_conflict():
    uow = FakeEnrollmentUnitOfWork()
    programme = await launched(uow)
    await handlers.enroll_participant(enroll(programme.programme_id), uow)
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
