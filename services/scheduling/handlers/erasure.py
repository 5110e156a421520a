from uuid import UUID

from scheduling.unit_of_work import SchedulingUnitOfWork


async def erase_participant(participant_id: UUID, erasure_id: UUID, uow: SchedulingUnitOfWork) -> None:
    """Right to be forgotten: nothing here links a pair, session or booking to the person any more."""
    uow.erasure.erase(participant_id, erasure_id)
    await uow.commit()
