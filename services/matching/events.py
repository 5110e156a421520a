"""Domain pairs -> the integration events matching publishes."""

from uuid import UUID

from matching.domain.model import Candidate, Pair, Proposal
from shared.contracts import PairCreated, PairDissolved, PairMember, WeeklySlot


def new_pair(programme_id: UUID, proposal: Proposal, mentor: Candidate, mentee: Candidate) -> Pair:
    return Pair(
        pair_id=Pair.id_for(programme_id, mentor.participant_id, mentee.participant_id),
        programme_id=programme_id, mentor_id=mentor.participant_id, mentee_id=mentee.participant_id,
        country=mentee.country, language=proposal.language, score=proposal.score,
        breakdown=dict(proposal.breakdown), directions=dict(proposal.directions),
    )


def _member(c: Candidate) -> PairMember:
    return PairMember(participant_id=c.participant_id, country=c.country, time_zone=c.time_zone, region=c.region,
                      availability=[WeeklySlot(weekday=s.weekday, start=s.start, end=s.end) for s in c.availability])


def pair_created(pair: Pair, mentor: Candidate, mentee: Candidate, correlation_id: UUID,
                 causation_id: UUID | None) -> PairCreated:
    return PairCreated(
        pair_id=pair.pair_id, programme_id=pair.programme_id, country=pair.country, language=pair.language,
        mentor=_member(mentor), mentee=_member(mentee), score=pair.score, score_breakdown=pair.breakdown,
        learning_directions=pair.directions,  # type: ignore[arg-type]
        correlation_id=correlation_id, causation_id=causation_id,
    )


def pair_ended(pair: Pair, reason: str, detail: str, correlation_id: UUID, causation_id: UUID) -> PairDissolved:
    """A pair dissolved because a member's new data breaks a hard rule, or scheduling gave up on it."""
    return PairDissolved(
        pair_id=pair.pair_id, programme_id=pair.programme_id, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id,
        reason=reason, detail=detail, correlation_id=correlation_id, causation_id=causation_id,  # type: ignore[arg-type]
    )


def pair_dissolved(pair: Pair, withdrawn: UUID, correlation_id: UUID, causation_id: UUID) -> PairDissolved:
    return PairDissolved(
        pair_id=pair.pair_id, programme_id=pair.programme_id, mentor_id=pair.mentor_id, mentee_id=pair.mentee_id,
        reason="participant_withdrew", withdrawn_participant_id=withdrawn,
        correlation_id=correlation_id, causation_id=causation_id,
    )
