"""Use cases of the matching service."""

from matching.domain.commands import AddCandidate
from matching.domain.model import Candidate, Pair, Proposal, propose_pair
from matching.unit_of_work import MatchingUnitOfWork
from shared.contracts import PairCreated, PairMember, WeeklySlot


async def add_candidate(cmd: AddCandidate, uow: MatchingUnitOfWork) -> Pair | None:
    """Adds the newcomer to the pool and pairs them at once when a free counterpart exists."""
    newcomer = await uow.candidates.get(cmd.candidate.participant_id)
    if newcomer is None:
        newcomer = cmd.candidate
        uow.candidates.add(newcomer)
    if not newcomer.is_free:
        await uow.commit()
        return None
    proposal = propose_pair(newcomer, await uow.candidates.free_in_programme(newcomer.programme_id))
    if proposal is None:
        await uow.commit()
        return None
    pair = Pair(
        pair_id=Pair.id_for(newcomer.programme_id, proposal.mentor.participant_id, proposal.mentee.participant_id),
        programme_id=newcomer.programme_id,
        mentor_id=proposal.mentor.participant_id,
        mentee_id=proposal.mentee.participant_id,
        country=proposal.mentee.country,
        language=proposal.language,
        score=proposal.score,
    )
    # The pair (with its event) is written before the candidates are marked, so a crash in
    # between replays into the same deterministic pair id instead of a second pair.
    uow.pairs.add(pair, [_pair_created(pair, proposal, cmd)])
    uow.candidates.assign(proposal.mentor, pair.pair_id)
    uow.candidates.assign(proposal.mentee, pair.pair_id)
    await uow.commit()
    return pair


def _member(c: Candidate) -> PairMember:
    return PairMember(
        participant_id=c.participant_id,
        country=c.country,
        time_zone=c.time_zone,
        availability=[WeeklySlot(weekday=s.weekday, start=s.start, end=s.end) for s in c.availability],
    )


def _pair_created(pair: Pair, proposal: Proposal, cmd: AddCandidate) -> PairCreated:
    return PairCreated(
        pair_id=pair.pair_id,
        programme_id=pair.programme_id,
        country=pair.country,
        language=pair.language,
        mentor=_member(proposal.mentor),
        mentee=_member(proposal.mentee),
        score=pair.score,
        correlation_id=cmd.correlation_id,
        causation_id=cmd.causation_id,
    )
