from enrollment.domain.curriculum import DEFAULT_CURRICULUM, Curriculum
from enrollment.unit_of_work import EnrollmentUnitOfWork


async def publish_curriculum(curriculum: Curriculum, uow: EnrollmentUnitOfWork) -> bool:
    curriculum.check()
    if not curriculum.publish_over(await uow.curricula.get(curriculum.version)):
        return False
    uow.curricula.add(curriculum)
    await uow.commit()
    return True


async def ensure_default_curriculum(uow: EnrollmentUnitOfWork) -> None:
    if await uow.curricula.get(DEFAULT_CURRICULUM.version) is None:
        await publish_curriculum(DEFAULT_CURRICULUM, uow)
