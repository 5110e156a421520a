"""Scheduling's consecutive PairCreated in a polled batch: planned in one unit of work, with the series
one at a time would plan (a person in two pairs booked for both, never twice at one time); a
redelivered batch, a replayed pair, an erased member and a missing key each keep one-at-a-time's
effects; key records polled together are kept in one write, an erased person's excepted. Scheduling's
real subscribers on the shared consumer, its unit of work over dicts."""

import uuid

from aiokafka import TopicPartition

from scheduling.entrypoints.consumers import build_kafka_router
from shared.contracts import PairCreated, SessionScheduled, topic_for
from tests import factories
from tests.fakes.messaging import ServiceOnFakes
from tests.fakes.scheduling import FakeSchedulingUnitOfWork

CREATED = topic_for(PairCreated)
PROGRAMME = factories.programme_launched()
MENTOR = factories.pair_member()  # in two pairs
PAIRS = [factories.pair_created(PROGRAMME.programme_id, mentor=MENTOR),
         factories.pair_created(PROGRAMME.programme_id),
         factories.pair_created(PROGRAMME.programme_id, mentor=MENTOR),
         factories.pair_created(PROGRAMME.programme_id)]


class Scheduling(ServiceOnFakes):
    def __init__(self) -> None:
        super().__init__("scheduling", FakeSchedulingUnitOfWork(), build_kafka_router)

    def series(self) -> dict:
        return {pair_id: [(s.sequence, s.starts_at, s.status) for s in pair.sessions]
                for pair_id, pair in self.uow.pairs.items.items()}

    def scheduled(self) -> list[SessionScheduled]:
        return [e for e in self.uow.pairs.events if isinstance(e, SessionScheduled)]


async def test_pairs_polled_together_are_planned_once_each_with_the_series_one_at_a_time_plans():
    alone, together = Scheduling(), Scheduling()
    for scheduling in (alone, together):
        await scheduling.poll(PROGRAMME)
    for offset, pair in enumerate(PAIRS, start=1):
        await alone.poll(pair, first_offset=offset)
    await together.poll(*PAIRS, first_offset=1)

    assert together.series() == alone.series() and len(together.series()) == len(PAIRS)
    assert together.uow.pairs.writes_together == 1, "the run was written as one"
    assert [(e.pair_id, e.sequence, e.starts_at) for e in together.scheduled()] == [
        (e.pair_id, e.sequence, e.starts_at) for e in alone.scheduled()]
    assert len(together.scheduled()) == len(PAIRS) * PROGRAMME.sessions_per_pair
    mentor = together.uow.calendars.items[MENTOR.participant_id].bookings
    assert {b.owner_id for b in mentor} == {PAIRS[0].pair_id, PAIRS[2].pair_id}
    assert len(mentor) == 2 * PROGRAMME.sessions_per_pair
    assert all(not a.overlaps(b) for i, a in enumerate(mentor) for b in mentor[i + 1:]), "never twice at one time"
    assert {e.event_id for e in PAIRS} <= together.inbox.processed.keys()
    assert together.kafka.committed[TopicPartition(CREATED, 0)] == len(PAIRS) + 1


async def test_a_redelivered_batch_and_a_replayed_pair_change_nothing():
    scheduling = Scheduling()
    await scheduling.poll(PROGRAMME)
    await scheduling.poll(*PAIRS[:2], first_offset=1)
    series, events = scheduling.series(), len(scheduling.uow.pairs.events)

    await scheduling.poll(*PAIRS[:2], first_offset=1)  # redelivered after a lost commit: the inbox absorbs it
    scheduling.inbox.processed.pop(PAIRS[1].event_id)  # effects stored, id not recorded (a crash in between)
    await scheduling.poll(PAIRS[1], *PAIRS[2:], first_offset=2)

    assert {k: v for k, v in scheduling.series().items() if k in series} == series
    assert len(scheduling.series()) == len(PAIRS)
    assert len(scheduling.uow.pairs.events) == events + 2 * PROGRAMME.sessions_per_pair, "the replay emitted nothing"


async def test_an_erased_member_gets_nothing_and_a_pair_without_its_key_waits_alone():
    scheduling = Scheduling()
    await scheduling.poll(PROGRAMME)
    erased = factories.pair_created(PROGRAMME.programme_id)
    scheduling.uow.tombstones.ids.add(erased.mentee.participant_id)
    await scheduling.poll(PAIRS[0], erased, PAIRS[1], first_offset=1)
    assert set(scheduling.series()) == {PAIRS[0].pair_id, PAIRS[1].pair_id}

    scheduling.uow.keys.delivered = False  # keys only from the key topic from now on
    await scheduling.poll(*factories.keys_for(PAIRS[2]), first_offset=10)
    await scheduling.poll(PAIRS[2], PAIRS[3], first_offset=4)
    assert PAIRS[2].pair_id in scheduling.series() and PAIRS[3].pair_id not in scheduling.series()
    assert scheduling.kafka.seeks == [(TopicPartition(CREATED, 0), 5)], "only the pair without its key is put back"


async def test_keys_polled_together_are_kept_except_an_erased_persons_and_a_destroyed_one_stays_destroyed():
    scheduling = Scheduling()
    scheduling.uow.keys.delivered = False
    kept, erased, forgotten = (factories.participant_key(factories.pair_member().participant_id) for _ in range(3))
    scheduling.uow.tombstones.ids.add(erased.participant_id)
    await scheduling.poll(kept, erased)
    destroyed = forgotten.model_copy(update={"data_key": None, "event_id": uuid.uuid4()})
    await scheduling.poll(destroyed, forgotten, first_offset=2)  # a replayed key after its destroyed marker

    assert scheduling.uow.keys.keys == {kept.participant_id: kept.data_key}
    assert forgotten.participant_id in scheduling.uow.keys.destroyed
    assert {e.event_id for e in (kept, erased, destroyed, forgotten)} <= scheduling.inbox.processed.keys()
