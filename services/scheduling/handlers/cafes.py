"""Use cases of open cafés: publish one, join one (claiming the participant's calendar first)."""

from scheduling.domain.cafe import Cafe, CafeFull, CafeMismatch, CafeNotFound, ParticipantErased
from scheduling.domain.commands import JoinCafe, PublishCafe
from scheduling.domain.participant_calendar import Booking
from scheduling.unit_of_work import SchedulingUnitOfWork
from shared.contracts import CafeJoined, CafePublished


async def publish_cafe(cmd: PublishCafe, uow: SchedulingUnitOfWork) -> tuple[Cafe, bool]:
    """Returns the café and whether it was created now (False: an idempotent re-send)."""
    cafe = Cafe(Cafe.id_for(cmd.programme_id, cmd.topic, cmd.starts_at), cmd.programme_id, cmd.topic,
                cmd.starts_at, cmd.duration_minutes, cmd.capacity)
    existing = await uow.cafes.get(cafe.cafe_id)
    if existing is not None:
        if not existing.same_as(cafe):
            raise CafeMismatch(cafe.cafe_id)
        return existing, False
    event = CafePublished(cafe_id=cafe.cafe_id, programme_id=cafe.programme_id, topic=cafe.topic,
                          starts_at=cafe.starts_at, duration_minutes=cafe.duration_minutes, capacity=cafe.capacity,
                          correlation_id=cmd.correlation_id)
    uow.cafes.add(cafe, [event])
    await uow.commit()
    return cafe, True


async def join_cafe(cmd: JoinCafe, uow: SchedulingUnitOfWork) -> Cafe:
    """Claims the seat in the participant's calendar (DoubleBooking if busy), then in the café.
    A claim left by a join that then found the café full is released here, so retries converge."""
    if await uow.tombstones.erased(cmd.participant_id):
        raise ParticipantErased(cmd.participant_id)
    cafe = await uow.cafes.get(cmd.cafe_id)
    if cafe is None or cafe.status != "open":
        raise CafeNotFound(cmd.cafe_id)
    calendar = await uow.calendars.get(cmd.participant_id)
    try:
        joined = cafe.join(cmd.participant_id)
    except CafeFull:
        if calendar.sync(cafe.cafe_id, []):
            uow.calendars.save(calendar)
            await uow.commit()
        raise
    if calendar.sync(cafe.cafe_id, [Booking(cafe.cafe_id, cafe.cafe_id, cafe.starts_at, cafe.ends_at)]):
        uow.calendars.save(calendar)
    if joined:
        uow.cafes.save(cafe, [CafeJoined(cafe_id=cafe.cafe_id, programme_id=cafe.programme_id,
                                         participant_id=cmd.participant_id, starts_at=cafe.starts_at,
                                         duration_minutes=cafe.duration_minutes, seats_left=cafe.seats_left,
                                         correlation_id=cmd.correlation_id)])
    await uow.commit()
    return cafe
