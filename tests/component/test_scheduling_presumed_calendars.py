"""A run of new pairs reads only the calendars this process has met (adapters/calendars.py): members it
never met are presumed new and claimed by insert (a pair applied alone too). When the presumption is
wrong (a calendar stored by another replica or before a restart), the claim fails, the calendar is read
on the retry, and the series are those one at a time plans: nobody booked twice at one time.
Scheduling's real subscribers on the shared consumer, its unit of work over dicts."""

from tests import factories
from tests.component.test_scheduling_pairs_together import PROGRAMME, Scheduling


async def test_a_run_of_new_members_reads_no_calendar_and_plans_what_one_at_a_time_plans():
    alone, together = Scheduling(), Scheduling()
    run = [factories.pair_created(PROGRAMME.programme_id) for _ in range(3)]
    for scheduling in (alone, together):
        await scheduling.poll(PROGRAMME)
    for offset, pair in enumerate(run, start=1):
        await alone.poll(pair, first_offset=offset)
    await together.poll(*run, first_offset=1)

    assert together.uow.calendars.reads == [], "nobody in the run was met before: no calendar read"
    assert together.uow.pairs.writes_together == 1
    assert together.series() == alone.series() and len(together.series()) == len(run)
    assert len(together.uow.calendars.items) == 2 * len(run)


async def test_a_stored_calendar_the_process_forgot_makes_the_run_fall_back_with_nobody_booked_twice():
    alone, together = Scheduling(), Scheduling()
    mentor = factories.pair_member()
    first = factories.pair_created(PROGRAMME.programme_id, mentor=mentor)
    run = [factories.pair_created(PROGRAMME.programme_id),
           factories.pair_created(PROGRAMME.programme_id, mentor=mentor)]
    for scheduling in (alone, together):
        await scheduling.poll(PROGRAMME, first)
    for offset, pair in enumerate(run, start=2):
        await alone.poll(pair, first_offset=offset)
    together.uow.calendars.met.clear()  # a restart: the mentor's calendar is stored, not remembered
    together.uow.calendars.reads.clear()
    await together.poll(*run, first_offset=2)

    assert mentor.participant_id in together.uow.calendars.reads, "the mentor's claim failed: read on the retry"
    assert together.series() == alone.series() and len(together.series()) == 3
    bookings = together.uow.calendars.items[mentor.participant_id].bookings
    assert {b.owner_id for b in bookings} == {first.pair_id, run[1].pair_id}
    assert len(bookings) == 2 * PROGRAMME.sessions_per_pair
    assert all(not a.overlaps(b) for i, a in enumerate(bookings) for b in bookings[i + 1:]), "never twice at once"
    assert {e.event_id for e in run} <= together.inbox.processed.keys()


async def test_a_pair_alone_whose_member_was_forgotten_is_planned_on_the_retry_not_dead_lettered():
    scheduling = Scheduling()
    mentor = factories.pair_member()
    first, second = (factories.pair_created(PROGRAMME.programme_id, mentor=mentor) for _ in range(2))
    await scheduling.poll(PROGRAMME, first)
    scheduling.uow.calendars.met.clear()
    await scheduling.poll(second, first_offset=2)

    assert second.pair_id in scheduling.series()
    assert scheduling.consumer.broker.published == [], "nothing dead-lettered"
    bookings = scheduling.uow.calendars.items[mentor.participant_id].bookings
    assert {b.owner_id for b in bookings} == {first.pair_id, second.pair_id}
    assert all(not a.overlaps(b) for i, a in enumerate(bookings) for b in bookings[i + 1:]), "never twice at once"
