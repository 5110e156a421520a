"""Matching's HTTP surface: pairs, matching rounds (preview then publish), mode and pair rules."""

from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Header, Response, status

from matching import handlers
from matching.domain.commands import DecideRound, PreviewRound, SetMode, SetPairRule
from matching.domain.errors import Rejected
from matching.domain.model import Pair, Round
from matching.domain.programme import Programme
from matching.entrypoints.schemas import (
    ModeIn,
    OverrideOut,
    PairOut,
    PairPage,
    PairRuleIn,
    PairRuleOut,
    ProgrammeOut,
    ProposalOut,
    RoundDecisionIn,
    RoundOut,
    UnmatchedOut,
)
from matching.policy import allowed
from matching.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection
from shared.http_params import AnyCase, Limit, Offset
from shared.mongo.aggregates import ConcurrentUpdate
from shared.security import Grant

CorrelationId = Annotated[UUID | None, Header(alias="X-Correlation-ID")]


def build_http_router(uow_factory: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["matching"])

    @router.get("/pairs", response_model=PairPage)
    async def list_pairs(programme_id: UUID | None = None,
                         status: Annotated[Literal["active", "dissolved"] | None, AnyCase] = None,
                         offset: Offset = 0, limit: Limit = 50, grant: Grant = allowed("pairs.list")):
        async with uow_factory() as uow:
            pairs, total = await uow.pairs.page(programme_id, status, offset, limit, grant.scope)
        grant.about(*(i for p in pairs for i in (p.mentor_id, p.mentee_id)))
        return PairPage(items=[_pair_out(p) for p in pairs], total=total, offset=offset, limit=limit)

    @router.get("/pairs/{pair_id}", response_model=PairOut)
    async def get_pair(pair_id: UUID, grant: Grant = allowed("pairs.read")):
        async with uow_factory() as uow:
            pair = await uow.pairs.get(pair_id)
        grant.require(pair is not None and grant.scope.admits(pair.programme_id, pair.country, [
            pair.mentor_id, pair.mentee_id]), "pair_id", f"pair {pair_id}")
        grant.about(pair.mentor_id, pair.mentee_id)
        return _pair_out(pair)

    @router.get("/programmes/{programme_id}", response_model=ProgrammeOut)
    async def get_programme(programme_id: UUID, grant: Grant = allowed("programmes.read")):
        async with uow_factory() as uow:
            programme = await uow.programmes.get(programme_id)
        if programme is None:
            raise DomainRejection(404, "programme_id", f"programme {programme_id} not known to matching")
        grant.about(*(i for r in programme.rules for i in (r.mentor_id, r.mentee_id)))
        return _programme_out(programme)

    @router.post("/programmes/{programme_id}/rounds", response_model=RoundOut, status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "A round is already pending: it is returned (idempotent)"}},
                 summary="Preview the optimal assignment of every free participant (pauses continuous pairing)")
    async def preview_round(programme_id: UUID, response: Response, offset: Offset = 0, limit: Limit = 50,
                            grant: Grant = allowed("rounds.preview")):
        async with uow_factory() as uow:
            round_, created = await _domain(handlers.preview_round(PreviewRound(programme_id), uow))
        if not created:
            response.status_code = status.HTTP_200_OK
        return _round_out(round_, offset, limit, grant)

    @router.get("/programmes/{programme_id}/rounds/{round_id}", response_model=RoundOut)
    async def get_round(programme_id: UUID, round_id: UUID, offset: Offset = 0, limit: Limit = 50,
                        grant: Grant = allowed("rounds.read")):
        async with uow_factory() as uow:
            round_ = await uow.rounds.get(round_id)
        if round_ is None or round_.programme_id != programme_id:
            raise DomainRejection(404, "round_id", f"round {round_id} not found in programme {programme_id}")
        return _round_out(round_, offset, limit, grant)

    @router.post("/programmes/{programme_id}/rounds/{round_id}/decision", response_model=RoundOut,
                 summary="Publish (PairCreated per proposal still valid) or discard a previewed round")
    async def decide_round(programme_id: UUID, round_id: UUID, body: RoundDecisionIn,
                           x_correlation_id: CorrelationId = None, offset: Offset = 0, limit: Limit = 50,
                           grant: Grant = allowed("rounds.decide")):
        cmd = DecideRound(programme_id, round_id, x_correlation_id or uuid4(), body.decision)
        async with uow_factory() as uow:
            round_ = await _domain(handlers.decide_round(cmd, uow))
        return _round_out(round_, offset, limit, grant)

    @router.put("/programmes/{programme_id}/mode", response_model=ProgrammeOut,
                dependencies=[allowed("programmes.set-mode")])
    async def set_mode(programme_id: UUID, body: ModeIn):
        async with uow_factory() as uow:
            programme = await _domain(handlers.set_mode(SetMode(programme_id, body.mode), uow))
        return _programme_out(programme)

    @router.post("/programmes/{programme_id}/pair-rules", response_model=ProgrammeOut,
                 status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "The same rule was already set (idempotent)"},
                            422: {"description": "A pin breaking hard rules without an override (the rules are "
                                                 "named), or roles that cannot mentor / be mentored"}})
    async def set_pair_rule(programme_id: UUID, body: PairRuleIn, response: Response,
                            grant: Grant = allowed("pair-rules.set")):
        grant.about(body.mentor_id, body.mentee_id)
        override = body.override
        cmd = SetPairRule(programme_id, body.mentor_id, body.mentee_id, body.kind,
                          override.by if override else None, override.reason if override else None)
        async with uow_factory() as uow:
            programme, changed = await _domain(handlers.set_pair_rule(cmd, uow))
        if not changed:
            response.status_code = status.HTTP_200_OK
        return _programme_out(programme)

    return router


async def _domain(call):
    try:
        return await call
    except Rejected as exc:
        raise DomainRejection(exc.status, exc.field, exc.reason) from exc
    except ConcurrentUpdate as exc:
        raise DomainRejection(409, "programme_id", "the programme changed meanwhile; retry") from exc


def _override_out(o) -> OverrideOut | None:
    return OverrideOut(by=o.by, reason=o.reason, rules=list(o.rules)) if o else None


def _pair_out(p: Pair) -> PairOut:
    return PairOut(pair_id=p.pair_id, programme_id=p.programme_id, mentor_id=p.mentor_id, mentee_id=p.mentee_id,
                   country=p.country, language=p.language, score=p.score, score_breakdown=p.breakdown,
                   learning_directions=p.directions, status=p.status, override=_override_out(p.override))


def _programme_out(p: Programme) -> ProgrammeOut:
    return ProgrammeOut(programme_id=p.programme_id, launched=p.launched, mode=p.mode,
                        mentor_capacity=p.policy.mentor_capacity, pending_round_id=p.pending_round_id,
                        pair_rules=[PairRuleOut(mentor_id=r.mentor_id, mentee_id=r.mentee_id, kind=r.kind,
                                                override=_override_out(r.override)) for r in p.rules])


def _round_out(r: Round, offset: int, limit: int, grant: Grant) -> RoundOut:
    page = slice(offset, offset + limit)
    grant.about(*(i for p in r.proposals[page] for i in (p.mentor_id, p.mentee_id)),
                *(u.participant_id for u in r.unmatched[page]))
    return RoundOut(
        round_id=r.round_id, programme_id=r.programme_id, status=r.status, objective=r.objective,
        must_matched=r.must_matched, published_pairs=r.published_pairs, proposals_total=len(r.proposals),
        unmatched_total=len(r.unmatched), offset=offset, limit=limit,
        proposals=[ProposalOut(mentor_id=p.mentor_id, mentee_id=p.mentee_id, language=p.language, score=p.score,
                               score_breakdown=p.breakdown, learning_directions=p.directions, pinned=p.pinned,
                               override=_override_out(p.override))
                   for p in r.proposals[page]],
        unmatched=[UnmatchedOut(participant_id=u.participant_id, reason=u.reason) for u in r.unmatched[page]],
    )
