"""An arrival's store reads in matching's use cases: a mentor taking several waiting mentees reads each
member's data key once and all of them together (one round trip, not one per pair in a row), an
erased member's pair is still left out, and the arrival's tombstone is read once, beside its key.
The use cases (and the real consumer) on the in-memory unit of work, its ports wrapped to record the reads."""

import asyncio
import uuid

from matching import handlers
from matching.domain.commands import RecordProgramme
from matching.domain.programme import Policy
from matching.entrypoints.consumers import build_kafka_router
from shared.contracts import PairCreated
from tests import factories
from tests.fakes.matching import FakeMatchingUnitOfWork
from tests.fakes.messaging import ServiceOnFakes
from tests.unit.matching.builders import enrolled, person


class CountingKeys:
    """The fake's keys, recording each read and how many were in flight at once (a read yields once:
    reads made one after another never overlap, reads gathered together all do)."""

    def __init__(self, keys) -> None:
        self.keys, self.reads, self.in_flight, self.most_at_once = keys, [], 0, 0

    def __getattr__(self, name):
        return getattr(self.keys, name)

    async def get(self, participant_id):
        self.reads.append(participant_id)
        self.in_flight += 1
        self.most_at_once = max(self.most_at_once, self.in_flight)
        await asyncio.sleep(0)  # let the other reads of the same gather start
        self.in_flight -= 1
        return await self.keys.get(participant_id)


async def test_a_mentor_taking_five_waiting_mentees_reads_each_key_once_and_all_together():
    uow = FakeMatchingUnitOfWork()
    pid = uuid.uuid4()
    await handlers.record_programme(RecordProgramme(pid, Policy(mentor_capacity=5)), uow)
    mentees = [person("mentee", pid, ["fr"], seniority=5) for _ in range(6)]
    for mentee in mentees:
        assert await handlers.add_candidate(enrolled(mentee), uow) == []
    uow.keys.destroy(mentees[0].participant_id)  # erased meanwhile: no pair is made with them
    await uow.commit()
    uow.keys = keys = CountingKeys(uow.keys)
    mentor = person("mentor", pid, ["fr"], seniority=1)

    made = await handlers.add_candidate(enrolled(mentor), uow)

    proposed = [m for m in mentees if m.participant_id in keys.reads]
    assert len(proposed) == 5  # its five seats offered to five of the six
    assert {p.mentee_id for p in made} == {m.participant_id for m in proposed} - {mentees[0].participant_id}
    assert [e.mentee.participant_id for e in uow.events() if isinstance(e, PairCreated)][-len(made):] == \
        [p.mentee_id for p in made]
    assert sorted(keys.reads) == sorted({mentor.participant_id, *(m.participant_id for m in proposed)})  # once each
    assert keys.most_at_once == 6  # the members' keys read together, not pair after pair


class CountingTombstones:
    """The fake's tombstones, recording each read and whether a key read was in flight beside it."""

    def __init__(self, tombstones, keys: CountingKeys) -> None:
        self.tombstones, self.keys, self.reads, self.beside_a_key_read = tombstones, keys, 0, 0

    def __getattr__(self, name):
        return getattr(self.tombstones, name)

    async def erased(self, *participant_ids):
        self.reads += 1
        beside = self.keys.in_flight > 0
        await asyncio.sleep(0)  # a key read started just after this one overlaps it too
        self.beside_a_key_read += beside or self.keys.in_flight > 0
        return await self.tombstones.erased(*participant_ids)


async def test_an_enrollment_reads_its_tombstone_once_and_beside_its_key():
    matching = ServiceOnFakes("matching", FakeMatchingUnitOfWork(), build_kafka_router)
    launched = factories.programme_launched()
    await matching.poll(launched)
    uow = matching.uow
    uow.keys = keys = CountingKeys(uow.keys)
    uow.tombstones = tombstones = CountingTombstones(uow.tombstones, keys)
    enrolled = factories.participant_enrolled(launched.programme_id, "mentee")

    await matching.poll(enrolled, first_offset=1)

    assert enrolled.participant_id in uow.candidates.items
    assert tombstones.reads == 1 and tombstones.beside_a_key_read == 1  # one round trip for both, not two in a row


async def test_an_enrollment_whose_erasure_overtook_it_creates_nothing():
    matching = ServiceOnFakes("matching", FakeMatchingUnitOfWork(), build_kafka_router)
    launched = factories.programme_launched()
    await matching.poll(launched)
    enrolled = factories.participant_enrolled(launched.programme_id, "mentee")
    matching.uow.tombstones.ids.add(enrolled.participant_id)  # erased after its key was delivered

    await matching.poll(enrolled, first_offset=1)

    assert enrolled.participant_id not in matching.uow.candidates.items
    assert enrolled.event_id in matching.inbox.processed  # done with, not retried
