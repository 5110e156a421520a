"""Helpers of the use cases: one decision per programme at a time, and staging new pairs.

They stage writes on the unit of work; only the use cases in handlers.py commit.
"""

import asyncio
import functools
import secrets
import weakref
from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from matching.domain.continuous import pair_many
from matching.domain.pool import Pool
from matching.domain.programme import Programme
from matching.events import Members, member_keys, new_pair, pair_created
from matching.unit_of_work import Decision, MatchingUnitOfWork
from shared.mongo.aggregates import ConcurrentUpdate

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
            uow.pools.copied.discard(programme_id)
            try:
                return await use_case(cmd, uow)
            except ConcurrentUpdate:
                if programme_id not in uow.pools.copied:
                    raise
                # It started from this process's copy of the programme, and another instance (or an
                # erasure) wrote since: decided once more from the store, as a read would have done.
                uow.pools.copied.discard(programme_id)
                return await use_case(cmd, uow)

    return serialised


async def decision_for(uow: MatchingUnitOfWork, programme_id: UUID) -> tuple[Programme, Pool, Decision]:
    """The programme, its pool (in memory, current), and the decision whose version-checked write
    of the programme document is staged first: two decisions for one programme cannot both commit,
    so capacities are never overrun. The programme is read from the store only when this process's
    last write of it is not at hand (pools.py): that write's version check stands for the read."""
    programme = uow.pools.written(programme_id) or await uow.programmes.get(programme_id) or Programme(programme_id)
    pool = await uow.pools.current(programme)
    decision = Decision()
    uow.programmes.decide(programme, decision)
    return programme, pool, decision


async def pair_participants(uow: MatchingUnitOfWork, pool: Pool, decision: Decision, participant_ids: list[UUID],
                            correlation_id: UUID, causation_id: UUID | None) -> list:
    """Pairs each participant with its best free counterpart (a newcomer who may mentor, as many
    times as it has seats and waiting counterparts), recording pairs and events in the decision."""
    made: list = []
    members: Members = {}
    page = secrets.randbelow(256)  # the decision's pairs on one index page (events.new_pair)
    for participant_id in participant_ids:
        proposals = pair_many(pool, participant_id)
        couples = [(pool.candidate(p.mentor_id), pool.candidate(p.mentee_id)) for p in proposals]
        for proposal, (mentor, mentee), keys in zip(proposals, couples, await member_keys(uow, couples), strict=True):
            if keys is None:
                continue  # a member's key is destroyed (erased): no pair is made with them
            pair = new_pair(pool.programme.programme_id, proposal, mentor, mentee, page)
            pool.put_pair(pair)
            decision.pairs.append(pair)
            decision.events.append(pair_created(pair, mentor, mentee, keys, correlation_id, causation_id, members))
            made.append(pair)
    return made
