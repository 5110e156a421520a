"""Use cases that undo pairs (they commit, like handlers.py): a member's data changed so that the
pair breaks a hard rule (ParticipantUpdated), or scheduling could not plan it in time
(PairUnschedulable). Both members then re-enter the pool; the dissolved couple is never proposed
again (see domain/pool.py). Like every decision, one programme write carries the changes."""

from dataclasses import dataclass, replace
from uuid import UUID

from matching.domain.model import Candidate, Pair
from matching.domain.revisions import broken_rule, revised
from matching.events import pair_ended
from matching.staging import decision_for, one_decision_at_a_time, pair_participants
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
    programme, pool, decision = await decision_for(uow, cmd.candidate.programme_id)
    stored = pool.candidate(cmd.candidate.participant_id)
    if stored is None:  # the enrollment was not seen: the update is the enrollment
        stored = cmd.candidate
    elif stored.withdrawn or (stored := revised(stored, cmd.candidate)) is None:
        uow.discard()
        return []
    pool.put_candidate(stored)
    decision.candidates.append(stored)
    released = [stored.participant_id]
    for pair in pool.active_pairs_of(stored.participant_id):
        rule = broken_rule(pool, pair)
        if rule is not None:
            pair = replace(pair, status="dissolved")
            pool.put_pair(pair)
            decision.pairs.append(pair)
            decision.events.append(pair_ended(pair, "no_longer_compatible", rule, cmd.correlation_id,
                                              cmd.causation_id))
            released += [p for p in pair.members() if p != stored.participant_id]
    made: list[Pair] = []
    if programme.pending_round_id is None and (programme.pairs_on_enrollment or len(released) > 1):
        made = await pair_participants(uow, pool, decision, released, cmd.correlation_id, cmd.causation_id)
    await uow.commit()
    return made


@one_decision_at_a_time
async def dissolve_unschedulable(cmd: DissolveUnschedulable, uow: MatchingUnitOfWork) -> list[Pair]:
    """Scheduling gave up on the pair at its programme's planning deadline: dissolve it and pair
    both members again, never with each other."""
    programme, pool, decision = await decision_for(uow, cmd.programme_id)
    pair = pool.pairs.get(cmd.pair_id)
    if pair is None or not pair.active:
        uow.discard()
        return []  # a redelivery, or the pair ended otherwise meanwhile
    pair = replace(pair, status="dissolved")
    pool.put_pair(pair)
    decision.pairs.append(pair)
    decision.events.append(pair_ended(pair, "unschedulable", cmd.reason, cmd.correlation_id, cmd.causation_id))
    made: list[Pair] = []
    if programme.pending_round_id is None:
        made = await pair_participants(uow, pool, decision, list(pair.members()), cmd.correlation_id, cmd.causation_id)
    await uow.commit()
    return made
