"""Use cases of the matching service (the only place that commits)."""

from dataclasses import replace
from uuid import UUID, uuid4

from matching.domain.commands import (
    AddCandidate,
    AddCandidates,
    DecideRound,
    EraseParticipant,
    PreviewRound,
    RecordProgramme,
    SetMode,
    SetPairRule,
    Withdraw,
)
from matching.domain.errors import Conflict, NotFound
from matching.domain.model import Candidate, Override, Round
from matching.domain.programme import PairRule, Programme
from matching.domain.rounds import plan_round, publishable
from matching.domain.rules import broken_rules
from matching.events import Members, member_keys, new_pair, pair_created, pair_dissolved
from matching.staging import decision_for, one_decision_at_a_time, pair_participants
from matching.unit_of_work import MatchingUnitOfWork
from shared.concurrently import all_settled

PUBLICATION_BATCH = 500  # pairs (and their events) per stored batch of a round's publication


@one_decision_at_a_time
async def record_programme(cmd: RecordProgramme, uow: MatchingUnitOfWork) -> Programme:
    """The programme's policy from its launch event (it may arrive after its first participants)."""
    programme, pool, _ = await decision_for(uow, cmd.programme_id)
    programme.policy, programme.launched = cmd.policy, True
    pool.follow(programme)
    await uow.commit()
    return programme


@one_decision_at_a_time
async def add_candidate(cmd: AddCandidate, uow: MatchingUnitOfWork) -> list:
    """Adds the newcomer to the pool; in continuous mode pairs them at once when counterparts are free
    (a newcomer who may mentor takes waiting mentees up to its seats)."""
    # Both reads at once (an arrival's latency is its round trips in a row); an erased person's
    # staged programme write is dropped with the rest.
    erased, (programme, pool, decision) = await all_settled(
        (_erased(uow, cmd), decision_for(uow, cmd.candidate.programme_id)))
    if erased:
        uow.discard()
        return []  # the erasure overtook the enrollment: nothing is created for that person again
    made = await _added(uow, programme, pool, decision, cmd)
    if made is None:
        uow.discard()
        return []
    await uow.commit()
    return made


@one_decision_at_a_time
async def add_candidates(cmd: AddCandidates, uow: MatchingUnitOfWork) -> list:
    """Consecutive enrollments of one programme as ONE decision (one programme write, one journal, the
    events in one outbox): each added and paired in turn, as `add_candidate` one after another would."""
    erased, (programme, pool, decision) = await all_settled(
        (all_settled(_erased(uow, c) for c in cmd.commands),
         decision_for(uow, cmd.programme_id)))
    outcomes = [await _added(uow, programme, pool, decision, add)
                for add, gone in zip(cmd.commands, erased, strict=True) if not gone]
    if all(made is None for made in outcomes):
        uow.discard()
        return []
    await uow.commit()
    return [pair for made in outcomes for pair in made or []]


async def _erased(uow: MatchingUnitOfWork, cmd: AddCandidate) -> bool:
    return cmd.erased if cmd.erased is not None else await uow.tombstones.erased(cmd.candidate.participant_id)


async def _added(uow: MatchingUnitOfWork, programme: Programme, pool, decision, cmd: AddCandidate) -> list | None:
    """Stages one enrollment in the decision and its pairs; None when the withdrawal overtook it."""
    known = pool.candidate(cmd.candidate.participant_id)
    if known is not None and known.withdrawn:
        return None
    if known is None:
        pool.put_candidate(cmd.candidate)
        decision.candidates.append(cmd.candidate)
    if not programme.pairs_on_enrollment:
        return []
    # Also on a replay: a crash after storing the candidate converges to the same pairs.
    return await pair_participants(uow, pool, decision, [cmd.candidate.participant_id], cmd.correlation_id,
                                   cmd.causation_id)


@one_decision_at_a_time
async def withdraw(cmd: Withdraw, uow: MatchingUnitOfWork) -> list:
    """Dissolves the participant's pairs and re-pairs each partner left behind; other pairs stay."""
    programme, pool, decision = await decision_for(uow, cmd.programme_id)
    leaver = pool.candidate(cmd.participant_id)
    if leaver is None:  # enrollment not seen yet: a tombstone keeps it out of the pool when it arrives
        if await uow.tombstones.erased(cmd.participant_id):
            uow.discard()
            return []  # erased: the erasure tombstone already keeps them out, and holds no id
        tombstone = Candidate.tombstone(cmd.participant_id, cmd.programme_id)
        pool.put_candidate(tombstone)
        decision.candidates.append(tombstone)
        await uow.commit()
        return []
    partners = []
    if not leaver.withdrawn:
        leaver = replace(leaver, withdrawn=True)
        pool.put_candidate(leaver)
        decision.candidates.append(leaver)
    for pair in pool.active_pairs_of(cmd.participant_id):
        pair = replace(pair, status="dissolved")
        pool.put_pair(pair)
        decision.pairs.append(pair)
        decision.events.append(pair_dissolved(pair, cmd.participant_id, cmd.correlation_id, cmd.causation_id))
        partners += [p for p in pair.members() if p != cmd.participant_id]
    made = []
    if programme.pending_round_id is None:  # a pending round re-plans everyone free when published
        made = await pair_participants(uow, pool, decision, partners, cmd.correlation_id, cmd.causation_id)
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
    programme, pool, _ = await decision_for(uow, cmd.programme_id)
    plan = plan_round(pool)
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
    programme, pool, _ = await decision_for(uow, cmd.programme_id)
    if cmd.decision == "publish":
        round_.published_pairs = await _publish(uow, pool, round_, cmd.correlation_id)
    round_.status = done  # type: ignore[assignment]
    uow.rounds.update(round_)
    if programme.pending_round_id == round_.round_id:
        programme.pending_round_id = None
    await uow.commit()
    return round_


async def _publish(uow: MatchingUnitOfWork, pool, round_: Round, correlation_id: UUID) -> int:
    """Stores the round's pairs in batches, each one document with its events (replays find them)."""
    stored, valid = publishable(pool, round_.proposals)
    for start in range(0, len(valid), PUBLICATION_BATCH):
        pairs, events = [], []
        members: Members = {}
        proposals = valid[start:start + PUBLICATION_BATCH]
        couples = [(pool.candidate(p.mentor_id), pool.candidate(p.mentee_id)) for p in proposals]
        for proposal, (mentor, mentee), keys in zip(proposals, couples, await member_keys(uow, couples), strict=True):
            if keys is None:
                continue  # a member was erased since the preview
            pair = new_pair(round_.programme_id, proposal, mentor, mentee)
            pool.put_pair(pair)
            pairs.append(pair)
            events.append(pair_created(pair, mentor, mentee, keys, correlation_id, None, members))
        uow.publications.add(f"{round_.round_id}:{start // PUBLICATION_BATCH}", round_.programme_id, pairs, events)
        stored += len(pairs)
    return stored


@one_decision_at_a_time
async def set_mode(cmd: SetMode, uow: MatchingUnitOfWork) -> Programme:
    programme, _, _ = await decision_for(uow, cmd.programme_id)
    programme.mode = cmd.mode
    await uow.commit()
    return programme


@one_decision_at_a_time
async def set_pair_rule(cmd: SetPairRule, uow: MatchingUnitOfWork) -> tuple[Programme, bool]:
    """Pins or forbids a couple (one rule per couple, the latest wins); (programme, changed). A pin
    that breaks a hard rule is refused, naming it, unless it records an override (who, why)."""
    programme, pool, _ = await decision_for(uow, cmd.programme_id)
    mentor, mentee = pool.candidate(cmd.mentor_id), pool.candidate(cmd.mentee_id)
    broken = []
    if cmd.kind == "pinned" and mentor is not None and mentee is not None and mentor is not mentee:
        broken = broken_rules(pool, pool.roster.row_of[cmd.mentor_id], pool.roster.row_of[cmd.mentee_id])
    override = Override(cmd.override_by, cmd.override_reason, ()) if cmd.override_by else None
    changed = programme.set_rule(PairRule(cmd.mentor_id, cmd.mentee_id, cmd.kind, override), mentor, mentee, broken)
    if changed:
        pool.follow(programme)
        await uow.commit()
    else:
        uow.discard()
    return programme, changed


async def record_erasure(participant_id: UUID, uow: MatchingUnitOfWork) -> None:
    """First step of an erasure: from now on no handler creates anything for the person."""
    uow.tombstones.record(participant_id)
    await uow.commit()


@one_decision_at_a_time
async def erase_participant(cmd: EraseParticipant, uow: MatchingUnitOfWork) -> None:
    """Right to be forgotten (after `withdraw`): nothing here links a candidate or pair to the person,
    and their data key is destroyed. The programme's version moves too, so every instance reloads its
    pool without the old ids."""
    await decision_for(uow, cmd.programme_id)
    uow.keys.destroy(cmd.participant_id)
    uow.erasure.erase(cmd.participant_id, cmd.erasure_id)
    await uow.commit()
    uow.pools.forget(cmd.programme_id)
