"""Matching's consecutive enrollments of one programme in a polled batch: one pairing decision (one
programme write) with the same pairs as one enrollment at a time; when one of them cannot be opened
yet, the batch falls back to one at a time and only that one waits. Matching's real subscribers on
the shared consumer, its unit of work over dicts, the Kafka side recorded."""

from aiokafka import TopicPartition

from matching.entrypoints.consumers import build_kafka_router
from shared.contracts import ParticipantEnrolled, topic_for
from tests import factories
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.fakes.messaging import ServiceOnFakes

ENROLLED = topic_for(ParticipantEnrolled)
PROGRAMME = factories.programme_launched()
PEOPLE = [factories.participant_enrolled(PROGRAMME.programme_id, role)
          for role in ("mentee", "mentee", "mentor", "mentee", "mentor", "mentee", "mentor", "mentee")]


class Matching(ServiceOnFakes):
    def __init__(self) -> None:
        super().__init__("matching", FakeMatchingUnitOfWork(), build_kafka_router)

    def couples(self) -> set[tuple]:
        return {(p.mentor_id, p.mentee_id) for p in self.uow.pairs.items.values() if p.status == "active"}

    def version(self) -> int:
        return self.uow.programme(PROGRAMME.programme_id).version


async def test_enrollments_polled_together_make_one_decision_with_the_pairs_one_at_a_time_makes():
    alone, together = Matching(), Matching()
    await alone.poll(PROGRAMME)
    await together.poll(PROGRAMME)
    for offset, person in enumerate(PEOPLE, start=1):
        await alone.poll(person, first_offset=offset)
    await together.poll(*PEOPLE, first_offset=1)

    assert together.couples() == alone.couples() and len(alone.couples()) == 3
    assert alone.version() - 1 == len(PEOPLE) and together.version() - 1 == 1, "one programme write for the batch"
    assert [e.event_type for e in together.uow.events()] == [e.event_type for e in alone.uow.events()]
    assert {e.event_id for e in PEOPLE} <= together.inbox.processed.keys()
    assert together.kafka.committed[TopicPartition(ENROLLED, 0)] == len(PEOPLE) + 1


async def test_a_replayed_batch_changes_nothing_and_an_unopenable_enrollment_waits_alone():
    matching = Matching()
    await matching.poll(PROGRAMME)
    await matching.poll(*PEOPLE[:4], first_offset=1)
    couples, version = matching.couples(), matching.version()
    await matching.poll(*PEOPLE[:4], first_offset=1)  # redelivered after a lost commit
    assert (matching.couples(), matching.version()) == (couples, version)

    matching.uow.keys.delivered = False  # keys only from the key topic from now on
    late = factories.participant_enrolled(PROGRAMME.programme_id, "mentor")
    keys = factories.keys_for(PEOPLE[4], PEOPLE[5])
    await matching.poll(*keys, first_offset=20)
    await matching.poll(PEOPLE[4], PEOPLE[5], late, first_offset=5)
    assert matching.uow.candidate(PEOPLE[4].participant_id) and matching.uow.candidate(PEOPLE[5].participant_id)
    assert matching.uow.candidate(late.participant_id) is None, "its key has not been read yet"
    assert matching.kafka.seeks == [(TopicPartition(ENROLLED, 0), 7)]
    assert matching.kafka.committed[TopicPartition(ENROLLED, 0)] == 7
