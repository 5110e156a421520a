import uuid
from datetime import date

import pytest

from enrollment import handlers
from enrollment.domain.commands import CloseProgramme, LaunchProgramme, UpdateProgramme
from enrollment.domain.curriculum import DEFAULT_CURRICULUM, Curriculum, Module, Topic
from enrollment.domain.errors import Conflict, Invalid
from shared.contracts import ProgrammeLaunched, ProgrammeUpdated
from tests.fakes.enrollment import FakeEnrollmentUnitOfWork
from tests.unit.enrollment.test_enroll_participant import enroll, launch

CORRELATION = uuid.uuid4()


async def test_a_launched_programme_carries_its_curriculum_modules_in_order():
    uow = FakeEnrollmentUnitOfWork()
    await handlers.launch_programme(launch(), uow)
    [event] = uow.events
    assert isinstance(event, ProgrammeLaunched) and event.curriculum_version == DEFAULT_CURRICULUM.version
    assert [m.code for m in event.modules] == [m.code for m in DEFAULT_CURRICULUM.modules]
    assert "ai-assistants" in event.modules[0].topics


async def test_changing_a_programme_publishes_its_whole_state_and_names_what_changed():
    uow = FakeEnrollmentUnitOfWork()
    programme, _ = await handlers.launch_programme(launch(), uow)
    await handlers.update_programme(UpdateProgramme(programme.programme_id, {"cadence_days": 7, "name":
                                                                             "Digital natives"}, CORRELATION), uow)
    update = uow.events[-1]
    assert isinstance(update, ProgrammeUpdated) and update.changed == ["cadence_days"]
    assert (update.cadence_days, update.sessions_per_pair, update.status) == (7, 6, "open")
    await handlers.update_programme(UpdateProgramme(programme.programme_id, {"cadence_days": 7}, CORRELATION), uow)
    assert len(uow.events) == 2, "a change that changes nothing publishes nothing"


async def test_an_invalid_change_is_refused_and_leaves_the_programme_as_it_was():
    uow = FakeEnrollmentUnitOfWork()
    programme, _ = await handlers.launch_programme(launch(), uow)
    with pytest.raises(Invalid) as err:
        await handlers.update_programme(UpdateProgramme(programme.programme_id, {"countries": ["ZZ"]}, CORRELATION),
                                        uow)
    assert err.value.field == "countries"
    with pytest.raises(Invalid) as err:
        await handlers.update_programme(UpdateProgramme(programme.programme_id, {"code": "NEW"}, CORRELATION), uow)
    assert err.value.field == "code"
    assert len(uow.events) == 1


async def test_a_closed_programme_takes_no_enrollment_and_no_change_and_closing_twice_publishes_once():
    uow = FakeEnrollmentUnitOfWork()
    programme, _ = await handlers.launch_programme(launch(), uow)
    await handlers.close_programme(CloseProgramme(programme.programme_id, CORRELATION), uow)
    await handlers.close_programme(CloseProgramme(programme.programme_id, CORRELATION), uow)
    closures = [e for e in uow.events if isinstance(e, ProgrammeUpdated)]
    assert len(closures) == 1 and closures[0].status == "closed" and closures[0].changed == ["status"]
    with pytest.raises(Conflict):
        await handlers.enroll_participant(enroll(programme.programme_id), uow)
    with pytest.raises(Conflict):
        await handlers.update_programme(UpdateProgramme(programme.programme_id, {"name": "x"}, CORRELATION), uow)


@pytest.mark.parametrize(("today", "accepted"), [(date(2026, 8, 31), False), (date(2026, 9, 1), True),
                                                 (date(2026, 9, 30), True), (date(2026, 10, 1), False)])
async def test_enrollment_is_accepted_only_inside_the_window(today, accepted):
    uow = FakeEnrollmentUnitOfWork()
    programme, _ = await handlers.launch_programme(
        launch(enrollment_opens=date(2026, 9, 1), enrollment_closes=date(2026, 9, 30)), uow)
    if accepted:
        await handlers.enroll_participant(enroll(programme.programme_id, today=today), uow)
    else:
        with pytest.raises(Conflict) as err:
            await handlers.enroll_participant(enroll(programme.programme_id, today=today), uow)
        assert "enrollment" in err.value.reason


async def test_a_window_that_closes_before_it_opens_is_invalid():
    with pytest.raises(Invalid) as err:
        await handlers.launch_programme(launch(enrollment_opens=date(2026, 9, 30), enrollment_closes=date(2026, 9, 1)),
                                        FakeEnrollmentUnitOfWork())
    assert err.value.field == "enrollment_closes"


NEXT = Curriculum("2027.1", "Reverse mentoring 2027", (Module("agents", "AI agents", (Topic("ai-agents", "Agents"),)),))


async def test_a_new_curriculum_version_is_published_once_and_never_rewritten():
    uow = FakeEnrollmentUnitOfWork()
    assert await handlers.publish_curriculum(NEXT, uow) is True
    assert await handlers.publish_curriculum(NEXT, uow) is False
    rewritten = Curriculum("2027.1", "Changed", NEXT.modules)
    with pytest.raises(Conflict):
        await handlers.publish_curriculum(rewritten, uow)
    assert (await uow.curricula.get("2027.1")).title == "Reverse mentoring 2027"
    assert (await uow.curricula.get(DEFAULT_CURRICULUM.version)) == DEFAULT_CURRICULUM


async def test_skills_are_checked_against_the_programme_s_own_curriculum_version():
    from enrollment.domain.model import Skill

    uow = FakeEnrollmentUnitOfWork()
    await handlers.publish_curriculum(NEXT, uow)
    programme, _ = await handlers.launch_programme(launch(curriculum_version="2027.1"), uow)
    await handlers.enroll_participant(enroll(programme.programme_id, skills=(Skill("ai-agents", 3, 1),)), uow)
    with pytest.raises(Invalid) as err:
        await handlers.enroll_participant(enroll(programme.programme_id, "E9", skills=(Skill("innovation", 3, 1),)),
                                          uow)
    assert err.value.field == "skills.0.topic"


async def test_a_programme_on_an_unknown_curriculum_version_is_refused():
    with pytest.raises(Invalid) as err:
        await handlers.launch_programme(launch(curriculum_version="1999.1"), FakeEnrollmentUnitOfWork())
    assert err.value.field == "curriculum_version"


def test_launch_commands_default_to_the_default_curriculum():
    assert LaunchProgramme("C", "n", ["FR"], ["fr"], 6, 60, 14, CORRELATION).curriculum_version == "2026.1"
