"""Use cases of the matching service (the only place that commits)."""

from uuid import UUID, uuid4

from matching.domain.commands import (
    AddCandidate,
    DecideRound,
    PreviewRound,
    RecordProgramme,
    SetMode,
    SetPairRule,
    Withdraw,
)
from matching.domain.errors import Conflict, NotFound
from matching.domain.model import Candidate, Pair, Round
from matching.domain.pool import Pool
from matching.domain.programme import PairRule, Programme
from matching.domain.rounds import plan_round, publishable
from matching.events import member_keys, new_pair, pair_created, pair_dissolved
from matching.staging import one_decision_at_a_time, pair_participants, programme_for_decision
from matching.unit_of_work import MatchingUnitOfWork


@one_decision_at_a_time
async def record_programme(cmd: RecordProgramme, uow: MatchingUnitOfWork) -> Programme:
    """The programme's policy from its launch event (it may arrive after its first participants)."""
    programme = await uow.programmes.get(cmd.programme_id)
    if programme is None:
        programme = Programme(cmd.programme_id, cmd.policy, launched=True)
        uow.programmes.add(programme)
    else:
        programme.policy, programme.launched = cmd.policy, True
        uow.programmes.update(programme)
    await uow.commit()
    return programme


@one_decision_at_a_time
async def add_candidate(cmd: AddCandidate, uow: MatchingUnitOfWork) -> Pair | None:
    """Adds the newcomer to the pool; in continuous mode pairs them at once when a counterpart is free."""
    if await uow.tombstones.erased(cmd.candidate.participant_id):
        return None  # the erasure overtook the enrollment: nothing is created for that person again
    newcomer = await uow.candidates.get(cmd.candidate.participant_id)
    if newcomer is not None and newcomer.withdrawn:
        return None  # the withdrawal overtook the enrollment
    programme = await programme_for_decision(uow, cmd.candidate.programme_id)
    if newcomer is None:
        newcomer = cmd.candidate
        uow.candidates.add(newcomer)
    pair = None
    if programme.pairs_on_enrollment:
        # Also on a replay: a crash after storing the candidate converges to the same pair.
        made = await pair_participants(uow, programme, [newcomer.participant_id], cmd.correlation_id,
                                       cmd.causation_id, extra=[newcomer])
        pair = made[0] if made else None
    await uow.commit()
    return pair


@one_decision_at_a_time
async def withdraw(cmd: Withdraw, uow: MatchingUnitOfWork) -> list[Pair]:
    """Dissolves the participant's pairs and re-pairs each partner left behind; other pairs stay."""
    programme = await programme_for_decision(uow, cmd.programme_id)
    leaver = await uow.candidates.get(cmd.participant_id)
    if leaver is None:  # enrollment not seen yet: a tombstone keeps it out of the pool when it arrives
        if await uow.tombstones.erased(cmd.participant_id):
            return []  # erased: the erasure tombstone already keeps them out, and holds no id
        uow.candidates.add(Candidate.tombstone(cmd.participant_id, cmd.programme_id))
        await uow.commit()
        return []
    if not leaver.withdrawn:
        leaver.withdrawn = True
        uow.candidates.update(leaver)
    partners, pairs = [], await uow.pairs.in_programme(cmd.programme_id)
    for pair in pairs:
        if pair.active and cmd.participant_id in pair.members():
            pair.status = "dissolved"
            uow.pairs.update(pair, [pair_dissolved(pair, cmd.participant_id, cmd.correlation_id, cmd.causation_id)])
            partners += [p for p in pair.members() if p != cmd.participant_id]
    made: list[Pair] = []
    if programme.pending_round_id is None:  # a pending round re-plans everyone free when published
        made = await pair_participants(uow, programme, partners, cmd.correlation_id, cmd.causation_id,
                                       extra=[leaver], pairs=pairs)
    await uow.commit()
    return made


@one_decision_at_a_time
async def preview_round(cmd: PreviewRound, uow: MatchingUnitOfWork) -> tuple[Round, bool]:
    """Plans the optimal assignment of everyone free; (round, created). A pending round is returned
    as it is, so a re-sent request does not plan twice."""
    programme = await uow.programmes.get(cmd.programme_id)
    if programme is not None and programme.pending_round_id is not None:
        pending = await uow.rounds.get(programme.pending_round_id)
        if pending is not None:
            return pending, False
    programme = await programme_for_decision(uow, cmd.programme_id)
    plan = plan_round(programme, await uow.candidates.in_programme(cmd.programme_id),
                      await uow.pairs.in_programme(cmd.programme_id))
    round_ = Round(uuid4(), cmd.programme_id, plan.proposals, plan.unmatched, plan.objective, plan.must_matched)
    programme.pending_round_id = round_.round_id  # continuous pairing waits, so the preview stays valid
    uow.rounds.add(round_)
    await uow.commit()
    return round_, True


@one_decision_at_a_time
async def decide_round(cmd: DecideRound, uow: MatchingUnitOfWork) -> Round:
    """Publishes a previewed round (PairCreated for each proposal still valid) or discards it."""
    round_ = await uow.rounds.get(cmd.round_id)
    if round_ is None or round_.programme_id != cmd.programme_id:
        raise NotFound("round_id", f"round {cmd.round_id} not found in programme {cmd.programme_id}")
    done = {"publish": "published", "discard": "discarded"}[cmd.decision]
    if round_.status == done:
        return round_  # a re-sent decision
    if round_.status != "preview":
        raise Conflict("round_id", f"round {cmd.round_id} is already {round_.status}")
    programme = await programme_for_decision(uow, cmd.programme_id)
    if cmd.decision == "publish":
        round_.published_pairs = await _publish(uow, programme, round_, cmd.correlation_id)
    round_.status = done  # type: ignore[assignment]
    uow.rounds.update(round_)
    if programme.pending_round_id == round_.round_id:
        programme.pending_round_id = None
    await uow.commit()
    return round_


async def _publish(uow: MatchingUnitOfWork, programme: Programme, round_: Round, correlation_id: UUID) -> int:
    candidates = {c.participant_id: c for c in await uow.candidates.in_programme(programme.programme_id)}
    pairs = await uow.pairs.in_programme(programme.programme_id)
    stored, valid = publishable(Pool.of(programme, list(candidates.values()), pairs), round_.proposals)
    for proposal in valid:
        mentor, mentee = candidates[proposal.mentor_id], candidates[proposal.mentee_id]
        keys = await member_keys(uow, mentor, mentee)
        if keys is None:
            continue  # a member was erased since the preview
        pair = new_pair(programme.programme_id, proposal, mentor, mentee)
        uow.pairs.add(pair, [pair_created(pair, mentor, mentee, keys, correlation_id, None)])
        stored += 1
    return stored


@one_decision_at_a_time
async def set_mode(cmd: SetMode, uow: MatchingUnitOfWork) -> Programme:
    programme = await programme_for_decision(uow, cmd.programme_id)
    programme.mode = cmd.mode
    await uow.commit()
    return programme


@one_decision_at_a_time
async def set_pair_rule(cmd: SetPairRule, uow: MatchingUnitOfWork) -> tuple[Programme, bool]:
    """Pins or forbids a couple (one rule per couple, the latest wins); (programme, changed)."""
    mentor, mentee = await uow.candidates.get(cmd.mentor_id), await uow.candidates.get(cmd.mentee_id)
    programme = await programme_for_decision(uow, cmd.programme_id)
    changed = programme.set_rule(PairRule(cmd.mentor_id, cmd.mentee_id, cmd.kind), mentor, mentee)
    if changed:
        await uow.commit()
    return programme, changed


async def record_erasure(participant_id: UUID, uow: MatchingUnitOfWork) -> None:
    """First step of an erasure: from now on no handler creates anything for the person."""
    uow.tombstones.record(participant_id)
    await uow.commit()


async def erase_participant(participant_id: UUID, erasure_id: UUID, uow: MatchingUnitOfWork) -> None:
    """Right to be forgotten (after `withdraw`): nothing here links a candidate or pair to the person,
    and their data key is destroyed."""
    uow.keys.destroy(participant_id)
    uow.erasure.erase(participant_id, erasure_id)
    await uow.commit()
