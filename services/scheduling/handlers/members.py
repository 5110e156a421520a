"""A member's data changed in enrollment (ParticipantUpdated): their pairs plan ahead again."""

from scheduling import outgoing as out
from scheduling.domain.commands import UpdateMember
from scheduling.domain.model import ACTIVE_PAIR
from scheduling.handlers.bookings import calendars_of, finder_for, save_booked
from scheduling.unit_of_work import SchedulingUnitOfWork


async def update_member(cmd: UpdateMember, uow: SchedulingUnitOfWork) -> int:
    """Replaces the member in each of their open pairs; when where or when they can meet changed,
    the sessions still ahead are planned again (moved, cancelled or kept pending). Returns how many
    pairs were re-planned."""
    replanned = 0
    for pair in await uow.pairs.of_participant(cmd.member.participant_id, cmd.programme_id):
        if pair.status not in ("awaiting_programme", *ACTIVE_PAIR):
            continue
        role = "mentor" if pair.mentor.participant_id == cmd.member.participant_id else "mentee"
        if getattr(pair, role) == cmd.member:
            continue  # a redelivery, or a change that does not concern scheduling
        setattr(pair, role, cmd.member)
        f = out.flow(cmd.correlation_id, cmd.causation_id)
        if pair.status == "awaiting_programme":
            uow.pairs.save(pair, [])
            await uow.commit()
            continue
        was_unschedulable = pair.status == "unschedulable"
        calendars = await calendars_of(pair, uow)
        new, moved, dropped = pair.replan_future(finder_for(pair, calendars), cmd.now)
        events = [*out.scheduled(pair, new, **f), *out.rescheduled(pair, moved, **f),
                  *out.cancelled(pair, dropped, "no_slot_left", **f),
                  *(out.unschedulable(pair, **f) if not was_unschedulable else [])]
        save_booked(pair, calendars, events, uow)
        await uow.commit()
        replanned += 1
    return replanned
