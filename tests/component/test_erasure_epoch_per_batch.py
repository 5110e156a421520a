"""A consumer reads the erasure epoch once per polled batch (shared/mongo/erasure_batch.py): the real
tombstone port over a counted in-memory database, the shared consumer fed polled batches; an erasure by
another process is honoured from the next batch, a failed handler's retry reads the epoch again; while
the tombstones are few the process holds them all at the epoch, and reads per person beyond."""

import uuid

from aiokafka import ConsumerRecord
from faststream.kafka.message import KafkaAckableMessage
from prometheus_client import CollectorRegistry

from shared.contracts import ParticipantEnrolled, topic_for
from shared.messaging.consumer import EventConsumer
from shared.mongo import tombstones
from shared.observability.metrics import DeliveryMetrics
from shared.unit_of_work import UnitOfWork
from tests import factories
from tests.component.test_erasure_cache import Uow, erase
from tests.fakes.documents import FakeDatabase, FakeStore
from tests.fakes.memory import FakeInbox
from tests.fakes.messaging import RecordingBroker, RecordingConsumer

TOPIC = topic_for(ParticipantEnrolled)


class Service:
    """A handler that asks whether each event's participant was erased, in a unit of work of its own."""

    def __init__(self, db: FakeDatabase, fail_first: set[uuid.UUID] = frozenset()) -> None:
        self.db, self.answers, self.fail_first = db, {}, set(fail_first)
        self.attempts, self.written = 0, []
        self.consumer = EventConsumer("matching", RecordingBroker(), FakeInbox(),
                                      DeliveryMetrics.on(CollectorRegistry()), backoff_ms=0)

        @self.consumer.handles(ParticipantEnrolled)
        async def handle(event: ParticipantEnrolled) -> None:
            uow: UnitOfWork = Uow(db)
            erased = await uow.tombstones.erased(event.participant_id)
            self.attempts += 1
            if event.event_id in self.fail_first:
                self.fail_first.discard(event.event_id)
                raise ValueError("lost a version check")

            async def record() -> None:  # what the handler acts on takes effect only through its commit
                self.answers[event.participant_id] = erased
                self.written.append((event.participant_id, erased))

            uow.stage(record)
            await uow.commit()

    async def poll(self, *events: ParticipantEnrolled) -> None:
        records = tuple(ConsumerRecord(TOPIC, 0, i, 0, 0, b"k", e.model_dump_json().encode(), None, 1, 1, [])
                        for i, e in enumerate(events))
        raw = records if len(records) > 1 else records[0]
        await self.consumer.deliver(KafkaAckableMessage(raw_message=raw, body=b"", consumer=RecordingConsumer()))


def enrolled(participant_id: uuid.UUID | None = None) -> ParticipantEnrolled:
    return factories.participant_enrolled(uuid.uuid4(), "mentee", participant_id=participant_id or uuid.uuid4())


async def test_the_units_of_work_of_a_batch_share_one_epoch_read():
    store = FakeStore()
    service = Service(FakeDatabase(store))
    await service.poll(*(enrolled() for _ in range(5)))
    by_batch = store.reads["erasures"]
    await service.poll(enrolled())  # alone: a batch of one
    await service.poll(enrolled(), enrolled())

    assert by_batch == 1 + 1  # the epoch once, then every tombstone (none) once
    assert store.reads["erasures"] == by_batch + 1 + 1  # the epoch only: the tombstones are held at it


async def test_an_erasure_by_another_process_is_honoured_from_the_next_batch():
    store = FakeStore()
    service, other = Service(FakeDatabase(store)), FakeDatabase(store)
    alice = uuid.uuid4()
    await service.poll(enrolled(alice), enrolled())
    assert service.answers[alice] is False
    await erase(other, alice)
    await service.poll(enrolled(alice), enrolled())

    assert service.answers[alice] is True


async def test_a_failed_handler_is_retried_on_a_fresh_epoch_read():
    store = FakeStore()
    failing = enrolled()
    service = Service(FakeDatabase(store), fail_first={failing.event_id})
    await service.poll(enrolled(), failing, enrolled())

    assert store.reads["erasures"] == 1 + 1 + 1  # the epoch, the tombstones, the epoch again for the retry


async def test_an_erasure_reads_the_tombstones_again_and_too_many_are_read_per_person(monkeypatch):
    store = FakeStore()
    service, other = Service(FakeDatabase(store)), FakeDatabase(store)
    alice, bob = uuid.uuid4(), uuid.uuid4()
    await erase(other, alice)
    await service.poll(enrolled(alice), enrolled(bob))
    assert store.reads["erasures"] == 1 + 1 and service.answers == {alice: True, bob: False}

    monkeypatch.setattr(tombstones, "EVERY_TOMBSTONE_MAX", 1)
    await erase(other, bob)  # a new epoch, and two tombstones: more than the process holds
    carol = uuid.uuid4()
    await service.poll(enrolled(bob), enrolled(carol))
    assert service.answers[bob] is True and service.answers[carol] is False
    # the epoch read while the batch went on (it had moved: the commit wrote nothing), the epoch read again
    # for the retry, the tombstones (too many), bob's and carol's
    assert store.reads["erasures"] == 2 + 1 + 1 + 1 + 2


async def test_a_batch_goes_on_while_the_epoch_read_travels_and_writes_nothing_when_it_had_moved():
    store = FakeStore()
    service, other = Service(FakeDatabase(store)), FakeDatabase(store)
    alice = uuid.uuid4()
    await service.poll(enrolled())  # the process knows an epoch from now on
    await erase(other, alice)
    service.attempts, service.written = 0, []
    await service.poll(enrolled(alice))

    assert service.attempts == 2  # answered from the cached epoch, then again after the commit refused
    assert service.written == [(alice, True)]  # nothing was written on the stale answer


async def test_the_process_that_erased_does_not_overtake_itself():
    store = FakeStore()
    db = FakeDatabase(store)
    service = Service(db)
    alice = uuid.uuid4()
    await service.poll(enrolled())
    await erase(db, alice)  # this process: its cache takes the epoch its bump made
    service.attempts = 0
    reads = store.reads["erasures"]
    await service.poll(enrolled(alice), enrolled())

    assert service.attempts == 2 and service.answers[alice] is True  # one attempt each: no retry
    assert store.reads["erasures"] == reads + 2  # the epoch (confirmed), the tombstones again at the new epoch
