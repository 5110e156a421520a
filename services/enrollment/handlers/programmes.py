from datetime import date

from enrollment.domain.commands import CloseProgramme, LaunchProgramme, UpdateProgramme
from enrollment.domain.curriculum import Curriculum
from enrollment.domain.errors import Conflict, Invalid, NotFound
from enrollment.domain.model import Programme
from enrollment.handlers.events import programme_state
from enrollment.unit_of_work import EnrollmentUnitOfWork
from shared.availability import programme_calendar


async def _curriculum(version: str, uow: EnrollmentUnitOfWork) -> Curriculum:
    curriculum = await uow.curricula.get(version)
    if curriculum is None:
        raise Invalid("curriculum_version", f"no curriculum version {version!r}")
    return curriculum


async def launch_programme(cmd: LaunchProgramme, uow: EnrollmentUnitOfWork) -> tuple[Programme, bool]:
    programme = Programme(programme_id=Programme.id_for(cmd.code), **cmd.settings())
    existing = await uow.programmes.get(programme.programme_id)
    if existing is not None:  # a re-send without dates means the dates chosen at launch
        programme.starts_on = programme.starts_on or existing.starts_on
        programme.ends_on = programme.ends_on or existing.ends_on
    else:
        dates = programme_calendar(cmd.today or date.today(), cmd.sessions_per_pair, cmd.session_minutes,
                                   cmd.cadence_days, cmd.starts_on, cmd.ends_on)
        programme.starts_on, programme.ends_on = dates.starts_on, dates.ends_on
    programme.check()
    curriculum = await _curriculum(programme.curriculum_version, uow)
    if existing is not None:
        if not existing.same_settings_as(programme):
            raise Conflict("code", f"programme {cmd.code!r} already exists with different settings")
        return existing, False
    uow.programmes.add(programme, [programme_state(programme, curriculum, cmd.correlation_id)])
    await uow.commit()
    return programme, True


async def _existing(programme_id, uow: EnrollmentUnitOfWork) -> Programme:
    programme = await uow.programmes.get(programme_id)
    if programme is None:
        raise NotFound("programme", programme_id)
    return programme


async def update_programme(cmd: UpdateProgramme, uow: EnrollmentUnitOfWork) -> Programme:
    programme = await _existing(cmd.programme_id, uow)
    changed = programme.update(cmd.changes)
    curriculum = await _curriculum(programme.curriculum_version, uow)
    if changed:
        uow.programmes.save(programme, [programme_state(programme, curriculum, cmd.correlation_id, changed)])
        await uow.commit()
    return programme


async def close_programme(cmd: CloseProgramme, uow: EnrollmentUnitOfWork) -> Programme:
    programme = await _existing(cmd.programme_id, uow)
    if programme.close():
        curriculum = await _curriculum(programme.curriculum_version, uow)
        uow.programmes.save(programme, [programme_state(programme, curriculum, cmd.correlation_id, ["status"])])
        await uow.commit()
    return programme
