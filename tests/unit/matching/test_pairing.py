import uuid

from matching import handlers
from matching.domain.commands import AddCandidate
from matching.domain.model import Candidate, propose_pair
from shared.contracts import PairCreated
from tests.fakes.matching import FakeMatchingUnitOfWork

PROGRAMME = uuid.uuid4()


def candidate(role, languages=("fr",), seniority=None, programme=PROGRAMME, **kw) -> Candidate:
    return Candidate(participant_id=uuid.uuid4(), programme_id=programme, role=role, country="FR",
                     languages=list(languages), time_zone="Europe/Paris",
                     seniority_level=seniority if seniority is not None else (2 if role == "mentor" else 8), **kw)


def add(c: Candidate) -> AddCandidate:
    return AddCandidate(c, correlation_id=uuid.uuid4(), causation_id=uuid.uuid4())


async def test_a_mentor_and_a_mentee_sharing_a_language_become_a_pair():
    uow = FakeMatchingUnitOfWork()
    mentee, mentor = candidate("mentee", ["en", "fr"]), candidate("mentor", ["fr"])
    assert await handlers.add_candidate(add(mentee), uow) is None
    pair = await handlers.add_candidate(add(mentor), uow)
    assert pair is not None and (pair.mentor_id, pair.mentee_id, pair.language) == (
        mentor.participant_id, mentee.participant_id, "fr")
    [event] = uow.pairs.events
    assert isinstance(event, PairCreated) and event.mentee.participant_id == mentee.participant_id
    assert all(c.pair_id == pair.pair_id for c in uow.candidates.items.values())


async def test_no_pair_without_a_shared_language_or_with_two_mentors_or_across_programmes():
    mentor = candidate("mentor", ["fr"])
    assert propose_pair(mentor, [candidate("mentee", ["de"])]) is None
    assert propose_pair(mentor, [candidate("mentor", ["fr"])]) is None
    assert propose_pair(mentor, [candidate("mentee", ["fr"], programme=uuid.uuid4())]) is None


async def test_a_paired_candidate_is_not_proposed_again():
    mentor = candidate("mentor")
    taken = candidate("mentee", pair_id=uuid.uuid4())
    assert propose_pair(mentor, [taken]) is None


async def test_the_junior_mentor_of_a_more_senior_mentee_scores_higher():
    mentee = candidate("mentee", seniority=9)
    junior, peer = candidate("mentor", seniority=1), candidate("mentor", seniority=9)
    proposal = propose_pair(mentee, [peer, junior])
    assert proposal is not None and proposal.mentor is junior


async def test_replaying_the_enrollment_that_made_a_pair_makes_no_second_pair():
    uow = FakeMatchingUnitOfWork()
    mentee, mentor = candidate("mentee"), candidate("mentor")
    await handlers.add_candidate(add(mentee), uow)
    first = await handlers.add_candidate(add(mentor), uow)
    again = await handlers.add_candidate(add(mentor), uow)
    assert first is not None and again is None
    assert len(uow.pairs.items) == 1 and len(uow.pairs.events) == 1
