"""Domain pairs -> the integration events matching publishes."""

import asyncio
from uuid import UUID, uuid4

from matching.domain.model import Candidate, Pair, Proposal
from matching.unit_of_work import MatchingUnitOfWork
from shared.contracts import MemberProfile, PairCreated, PairDissolved, PairMember, PairOverride, WeeklySlot
from shared.crypto.sealing import seal


def new_pair(programme_id: UUID, proposal: Proposal, mentor: Candidate, mentee: Candidate,
             first_byte: int | None = None) -> Pair:
    """`first_byte`: the same for every pair of one decision (random too), so they share one page of
    the pairs index (its first two hex digits, journal.pairs_index): a mentor taking 10 mentees
    writes one page and one counts document, not ~10 and ~8."""
    pair_id = uuid4()  # random: nothing about the pair can be computed from its members' ids
    if first_byte is not None:
        pair_id = UUID(bytes=bytes([first_byte]) + pair_id.bytes[1:])  # still a version 4 UUID
    return Pair(
        pair_id=pair_id,
        programme_id=programme_id, mentor_id=mentor.participant_id, mentee_id=mentee.participant_id,
        country=mentee.country, language=proposal.language, score=proposal.score,
        breakdown=dict(proposal.breakdown), directions=dict(proposal.directions), override=proposal.override,
    )


def _member(c: Candidate, data_key: str) -> PairMember:
    # Sealed under the member's own key: destroying it (erasure) makes this copy unreadable too.
    profile = MemberProfile(country=c.country, time_zone=c.time_zone, region=c.region,
                            availability=[WeeklySlot(weekday=s.weekday, start=s.start, end=s.end)
                                          for s in c.availability])
    return PairMember(participant_id=c.participant_id, profile=seal(profile, data_key, c.participant_id))


Members = dict[UUID, PairMember]  # one decision's sealed members, by participant id


def pair_created(pair: Pair, mentor: Candidate, mentee: Candidate, keys: tuple[str, str], correlation_id: UUID,
                 causation_id: UUID | None, members: Members | None = None) -> PairCreated:
    """`members`: the decision's members sealed so far, reused: a mentor taking 10 mentees is sealed
    once, not 10 times (the same profile under the same key and id: one nonce for one plaintext)."""
    members = {} if members is None else members
    for who, key in ((mentor, keys[0]), (mentee, keys[1])):
        if who.participant_id not in members:
            members[who.participant_id] = _member(who, key)
    o = pair.override
    return PairCreated(
        pair_id=pair.pair_id, programme_id=pair.programme_id, country=pair.country, language=pair.language,
        mentor=members[mentor.participant_id], mentee=members[mentee.participant_id], score=pair.score,
        score_breakdown=pair.breakdown,
        learning_directions=pair.directions,  # type: ignore[arg-type]
        override=PairOverride(by=o.by, reason=o.reason, rules=list(o.rules)) if o else None,
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


KEY_READS = 16  # concurrent key reads of one decision (a round's batch names up to 1,000 people)


async def member_keys(uow: MatchingUnitOfWork,
                      couples: list[tuple[Candidate, Candidate]]) -> list[tuple[str, str] | None]:
    """Each couple's (mentor, mentee) data keys, or None when one was destroyed (erased: no pair is
    made). Everyone's key is read once and all concurrently: a mentor taking 10 mentees costs one
    store round trip, not 10 in a row."""
    slots = asyncio.Semaphore(KEY_READS)

    async def key(participant_id: UUID) -> str | None:
        async with slots:
            return await uow.keys.get(participant_id)

    people = list(dict.fromkeys(c.participant_id for couple in couples for c in couple))
    found = dict(zip(people, await asyncio.gather(*(key(p) for p in people)), strict=True))
    return [None if found[m.participant_id] is None or found[e.participant_id] is None
            else (found[m.participant_id], found[e.participant_id]) for m, e in couples]
