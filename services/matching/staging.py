"""Helpers of the use cases: one decision per programme at a time, and staging new pairs.

They stage writes on the unit of work; only the use cases in handlers.py commit.
"""

import asyncio
import functools
import weakref
from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from matching.domain.continuous import pair_one
from matching.domain.model import Candidate, Pair
from matching.domain.programme import Programme
from matching.events import member_keys, new_pair, pair_created
from matching.unit_of_work import MatchingUnitOfWork

C = TypeVar("C")
R = TypeVar("R")

_LOCKS: weakref.WeakValueDictionary[UUID, asyncio.Lock] = weakref.WeakValueDictionary()


def one_decision_at_a_time(use_case: Callable[[C, MatchingUnitOfWork], Awaitable[R]]):
    """Within this process, a programme's pairing decisions run one after another (consumers of
    several topics and HTTP requests share the event loop); across processes the version-checked
    programme write below keeps two decisions from both committing."""

    @functools.wraps(use_case)
    async def serialised(cmd: C, uow: MatchingUnitOfWork) -> R:
        programme_id = getattr(cmd, "programme_id", None) or cmd.candidate.programme_id  # type: ignore[attr-defined]
        lock = _LOCKS.get(programme_id)
        if lock is None:
            lock = _LOCKS[programme_id] = asyncio.Lock()
        async with lock:
            return await use_case(cmd, uow)

    return serialised


async def programme_for_decision(uow: MatchingUnitOfWork, programme_id: UUID) -> Programme:
    """Loads the programme and stages a version-checked write of it first: two pairing decisions
    for the same programme cannot both commit, so capacities are never overrun."""
    programme = await uow.programmes.get(programme_id)
    if programme is None:
        programme = Programme(programme_id)
        uow.programmes.add(programme)
    else:
        uow.programmes.update(programme)
    return programme


async def pair_participants(uow: MatchingUnitOfWork, programme: Programme, participant_ids: list[UUID],
                            correlation_id: UUID, causation_id: UUID | None, extra: list[Candidate] = (),
                            pairs: list[Pair] | None = None) -> list[Pair]:
    """Pairs each participant in turn with its best free counterpart (staged, not committed).
    `extra` and `pairs` carry changes staged in this unit of work but not stored yet."""
    stored = {c.participant_id: c for c in await uow.candidates.in_programme(programme.programme_id)}
    candidates = {**stored, **{c.participant_id: c for c in extra}}
    pairs = list(pairs) if pairs is not None else await uow.pairs.in_programme(programme.programme_id)
    made = []
    for participant_id in participant_ids:
        proposal = pair_one(programme, list(candidates.values()), pairs, participant_id)
        if proposal is None:
            continue
        mentor, mentee = candidates[proposal.mentor_id], candidates[proposal.mentee_id]
        keys = await member_keys(uow, mentor, mentee)
        if keys is None:
            continue
        pair = new_pair(programme.programme_id, proposal, mentor, mentee)
        uow.pairs.add(pair, [pair_created(pair, mentor, mentee, keys, correlation_id, causation_id)])
        pairs.append(pair)
        made.append(pair)
    return made
