from uuid import UUID

from scheduling.unit_of_work import SchedulingUnitOfWork


async def record_erasure(participant_id: UUID, uow: SchedulingUnitOfWork) -> None:
    """First step of an erasure: from now on no pair, session or booking is made for the person."""
    uow.tombstones.record(participant_id)
    await uow.commit()


async def erase_participant(participant_id: UUID, erasure_id: UUID, uow: SchedulingUnitOfWork) -> None:
    """Right to be forgotten: nothing here links a pair, session or booking to the person any more,
    and their data key is destroyed."""
    uow.keys.destroy(participant_id)
    uow.erasure.erase(participant_id, erasure_id)
    await uow.commit()
