"""Domain pairs -> the integration events matching publishes."""

from uuid import UUID, uuid4

from matching.domain.model import Candidate, Pair, Proposal
from shared.contracts import PairCreated, PairDissolved, PairMember, WeeklySlot


def new_pair(programme_id: UUID, proposal: Proposal, mentor: Candidate, mentee: Candidate) -> Pair:
    return Pair(
        pair_id=uuid4(),  # random: nothing about the pair can be computed from its members' ids
        programme_id=programme_id, mentor_id=mentor.participant_id, mentee_id=mentee.participant_id,
        country=mentee.country, language=proposal.language, score=proposal.score,
        breakdown=dict(proposal.breakdown), directions=dict(proposal.directions),
    )


def _member(c: Candidate) -> PairMember:
    return PairMember(participant_id=c.participant_id, country=c.country, time_zone=c.time_zone,
                      availability=[WeeklySlot(weekday=s.weekday, start=s.start, end=s.end) for s in c.availability])


def pair_created(pair: Pair, mentor: Candidate, mentee: Candidate, correlation_id: UUID,
                 causation_id: UUID | None) -> PairCreated:
    return PairCreated(
        pair_id=pair.pair_id, programme_id=pair.programme_id, country=pair.country, language=pair.language,
        mentor=_member(mentor), mentee=_member(mentee), score=pair.score, score_breakdown=pair.breakdown,
        learning_directions=pair.directions,  # type: ignore[arg-type]
        correlation_id=correlation_id, causation_id=causation_id,
    )


def pair_dissolved(pair: Pair, withdrawn: UUID, correlation_id: UUID, causation_id: UUID) -> PairDissolved:
    return PairDissolved(
        pair_id=pair.pair_id, programme_id=pair.programme_id, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id,
        reason="participant_withdrew", withdrawn_participant_id=withdrawn,
        correlation_id=correlation_id, causation_id=causation_id,
    )
