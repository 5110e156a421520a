"""Use cases that undo pairs (they commit, like handlers.py): a member's data changed so that the
pair breaks a hard rule (ParticipantUpdated), or scheduling could not plan it in time
(PairUnschedulable). Both members then re-enter the pool; the dissolved couple is never proposed
again (see domain/pool.py)."""

from dataclasses import dataclass
from uuid import UUID

from matching.domain.model import Candidate, Pair
from matching.domain.revisions import broken_rule, pairs_of, revise
from matching.events import pair_ended
from matching.staging import one_decision_at_a_time, pair_participants, programme_for_decision
from matching.unit_of_work import MatchingUnitOfWork


@dataclass(frozen=True)
class UpdateCandidate:
    candidate: Candidate
    correlation_id: UUID
    causation_id: UUID


@dataclass(frozen=True)
class DissolveUnschedulable:
    pair_id: UUID
    programme_id: UUID
    reason: str
    correlation_id: UUID
    causation_id: UUID


@one_decision_at_a_time
async def update_candidate(cmd: UpdateCandidate, uow: MatchingUnitOfWork) -> list[Pair]:
    """Keeps the candidate's new data; dissolves their pairs that now break a hard rule, with the
    rule as the reason, and pairs both members again (unless a round is pending). Returns new pairs."""
    programme = await programme_for_decision(uow, cmd.candidate.programme_id)
    stored = await uow.candidates.get(cmd.candidate.participant_id)
    if stored is None:  # the enrollment was not seen: the update is the enrollment
        stored = cmd.candidate
        uow.candidates.add(stored)
    elif stored.withdrawn or not revise(stored, cmd.candidate):
        return []
    else:
        uow.candidates.update(stored)
    candidates = {c.participant_id: c for c in await uow.candidates.in_programme(programme.programme_id)}
    candidates[stored.participant_id] = stored
    pairs = await uow.pairs.in_programme(programme.programme_id)
    released = [stored.participant_id]
    for pair in pairs_of(pairs, stored.participant_id):
        rule = broken_rule(programme.policy, candidates[pair.mentor_id], candidates[pair.mentee_id])
        if rule is not None:
            pair.status = "dissolved"
            uow.pairs.update(pair, [pair_ended(pair, "no_longer_compatible", rule, cmd.correlation_id,
                                               cmd.causation_id)])
            released += [p for p in pair.members() if p != stored.participant_id]
    made: list[Pair] = []
    if programme.pending_round_id is None and (programme.pairs_on_enrollment or len(released) > 1):
        made = await pair_participants(uow, programme, released, cmd.correlation_id, cmd.causation_id,
                                       extra=[stored], pairs=pairs)
    await uow.commit()
    return made


@one_decision_at_a_time
async def dissolve_unschedulable(cmd: DissolveUnschedulable, uow: MatchingUnitOfWork) -> list[Pair]:
    """Scheduling gave up on the pair at its programme's planning deadline: dissolve it and pair
    both members again, never with each other."""
    programme = await programme_for_decision(uow, cmd.programme_id)
    pairs = await uow.pairs.in_programme(cmd.programme_id)
    pair = next((p for p in pairs if p.pair_id == cmd.pair_id), None)
    if pair is None or not pair.active:
        return []  # a redelivery, or the pair ended otherwise meanwhile
    pair.status = "dissolved"
    uow.pairs.update(pair, [pair_ended(pair, "unschedulable", cmd.reason, cmd.correlation_id, cmd.causation_id)])
    made: list[Pair] = []
    if programme.pending_round_id is None:
        made = await pair_participants(uow, programme, list(pair.members()), cmd.correlation_id, cmd.causation_id,
                                       pairs=pairs)
    await uow.commit()
    return made
