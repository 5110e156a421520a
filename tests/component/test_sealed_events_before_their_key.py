"""A sealed event read before its data key (the key travels on another topic, in no order with it):
put back and applied once the key is read, never dead-lettered for that; dropped (counted) when the
person was erased; dead-lettered only once it has waited longer than the bound. Matching's real
subscribers on the shared consumer, its unit of work over dicts, the Kafka side recorded."""

from aiokafka import TopicPartition
from prometheus_client import CollectorRegistry

from matching.entrypoints.consumers import build_kafka_router
from shared.contracts import ParticipantEnrolled, ParticipantKey, dlq_topic, topic_for
from shared.messaging.consumer import EventConsumer
from shared.messaging.deferrals import Deferrals
from shared.observability.metrics import DeliveryMetrics
from tests import factories
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.fakes.memory import FakeInbox
from tests.fakes.messaging import RecordingBroker, RecordingConsumer, message, polled
from tests.kafka_probe import eventually

ENROLLED, KEYS = topic_for(ParticipantEnrolled), topic_for(ParticipantKey)


class Matching:
    def __init__(self, max_wait_s: float = 3600.0) -> None:
        self.uow = FakeMatchingUnitOfWork()
        self.uow.keys.delivered = False  # only what a ParticipantKey record delivered
        self.broker, self.kafka, self.inbox = RecordingBroker(), RecordingConsumer(), FakeInbox()
        self.metrics = DeliveryMetrics.on(CollectorRegistry())
        self.consumer = EventConsumer("matching", self.broker, self.inbox, self.metrics, backoff_ms=0,
                                      deferrals=Deferrals(max_wait_s))
        build_kafka_router(self.consumer, lambda: self.uow)
        self.programme = factories.programme_launched()

    async def start(self) -> None:
        await self.read(self.programme, offset=1)

    async def read(self, event, offset: int) -> None:
        await self.consumer.deliver(message(topic_for(event), event.model_dump_json().encode(), offset=offset,
                                            consumer=self.kafka))

    def dead(self) -> list[tuple[str, bytes, dict[str, str]]]:
        return [p for p in self.broker.published if p[0] == dlq_topic("matching", ENROLLED)]


async def test_an_enrollment_read_before_its_key_waits_for_it_then_is_applied():
    matching = Matching()
    await matching.start()
    enrolled = factories.participant_enrolled(matching.programme.programme_id, "mentee")
    commits = matching.kafka.commits

    await matching.read(enrolled, offset=7)
    partition = TopicPartition(ENROLLED, 1)
    assert matching.kafka.commits == commits, "not committed past: it will be read again"
    assert matching.kafka.seeks == [(partition, 7)] and partition in matching.kafka.paused
    assert matching.dead() == [] and enrolled.participant_id not in matching.uow.candidates.items
    assert matching.metrics.deferred.labels(ENROLLED)._value.get() == 1

    async def resumed() -> bool:
        return partition not in matching.kafka.paused

    # The pause is 0.25 s; the deadline is generous for a busy machine.
    assert await eventually(resumed, timeout=30, interval=0.05), "the partition is fetched again after a short pause"

    await matching.read(factories.participant_key(enrolled.participant_id), offset=3)  # the key topic catches up
    await matching.read(enrolled, offset=7)  # read again from the rewound offset
    assert enrolled.participant_id in matching.uow.candidates.items
    assert matching.kafka.commits == commits + 2 and matching.dead() == []
    assert enrolled.event_id in matching.inbox.processed and matching.consumer.deferrals.since == {}


async def test_an_enrollment_of_an_erased_person_is_dropped_and_counted():
    matching = Matching()
    await matching.start()
    enrolled = factories.participant_enrolled(matching.programme.programme_id, "mentor")
    destroyed = ParticipantKey(participant_id=enrolled.participant_id, programme_id=enrolled.programme_id,
                               data_key=None)
    await matching.read(destroyed, offset=4)
    commits = matching.kafka.commits

    await matching.read(enrolled, offset=8)
    assert enrolled.participant_id not in matching.uow.candidates.items, "nothing created for an erased person"
    assert matching.kafka.commits == commits + 1 and matching.kafka.seeks == [] and matching.dead() == []
    assert enrolled.event_id in matching.inbox.processed
    assert matching.metrics.dropped.labels(ENROLLED, "participant_erased")._value.get() == 1


async def test_an_enrollment_whose_key_never_comes_is_dead_lettered_after_the_bound():
    matching = Matching(max_wait_s=0.0)  # the first read puts it back; any later one is overdue
    await matching.start()
    enrolled = factories.participant_enrolled(matching.programme.programme_id, "mentee")

    await matching.read(enrolled, offset=9)
    assert matching.dead() == [], "put back first, not dead-lettered"
    await matching.read(enrolled, offset=9)
    [(_, body, headers)] = matching.dead()
    assert body == enrolled.model_dump_json().encode()
    assert f"data key of participant {enrolled.participant_id}" in headers["x-dlq-reason"]
    assert matching.consumer.deferrals.since == {}, "its partition flows on"


async def test_another_participant_after_a_put_back_event_is_read_in_its_turn():
    matching = Matching()
    await matching.start()
    first = factories.participant_enrolled(matching.programme.programme_id, "mentee")
    second = factories.participant_enrolled(matching.programme.programme_id, "mentor")
    await matching.read(first, offset=10)
    [(_, offset)] = matching.kafka.seeks
    assert offset == 10, "the partition restarts at the event put back, so order within it is kept"
    await matching.read(factories.participant_key(second.participant_id), offset=5)
    assert matching.uow.keys.keys.get(second.participant_id), "the key topic flows while the event waits"


async def test_a_null_record_on_the_compacted_key_topic_is_skipped_not_dead_lettered():
    matching = Matching()
    await matching.consumer.deliver(message(KEYS, None, offset=11, consumer=matching.kafka))
    assert matching.kafka.commits == 1 and matching.broker.published == [], "Kafka's deletion marker, not poison"


async def test_an_enrollment_polled_in_one_batch_before_its_key_is_applied_without_a_put_back():
    """Kafka orders a partition, not topics: the batch's key records are delivered first."""
    matching = Matching()
    await matching.start()
    enrolled = factories.participant_enrolled(matching.programme.programme_id, "mentee")

    await matching.consumer.deliver(polled(enrolled, factories.participant_key(enrolled.participant_id),
                                           first_offset=20, key=None, consumer=matching.kafka))

    assert enrolled.participant_id in matching.uow.candidates.items
    assert matching.metrics.deferred.labels(ENROLLED)._value.get() == 0 and matching.kafka.seeks == []
    assert enrolled.event_id in matching.inbox.processed and matching.dead() == []
