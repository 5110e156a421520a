"""Programmes: launch, read, list, change, close, statistics."""

from collections import Counter
from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Header, Response, status

from enrollment import handlers
from enrollment.domain.commands import CloseProgramme, LaunchProgramme, UpdateProgramme
from enrollment.domain.model import MatchingPolicy
from enrollment.entrypoints.presenters import domain, programme_out
from enrollment.entrypoints.schemas import (
    CalendarIn,
    MatchingPolicyIn,
    ProgrammeChanges,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePage,
    ProgrammeStatistics,
    StatisticsRow,
)
from enrollment.policy import allowed
from enrollment.unit_of_work import UnitOfWorkFactory
from shared.availability import CalendarRules
from shared.http_params import AnyCase, Limit, Offset
from shared.security import Grant

CorrelationId = Annotated[UUID | None, Header(alias="X-Correlation-ID")]


def _calendar(body: CalendarIn) -> CalendarRules:
    return CalendarRules(body.grid_minutes, tuple(sorted(set(body.weekend_days))), body.holidays)


def _policy(body: MatchingPolicyIn) -> MatchingPolicy:
    return MatchingPolicy(**body.model_dump(exclude={"weights"}), weights=tuple(sorted(body.weights.items())))


def build_programmes_router(uow_factory: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["programmes"])

    @router.post("/programmes", response_model=ProgrammeOut, status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "Already launched with the same code and settings"}},
                 dependencies=[allowed("programmes.launch")])
    async def launch_programme(body: ProgrammeIn, response: Response, x_correlation_id: CorrelationId = None):
        cmd = LaunchProgramme(**body.model_dump(exclude={"matching_policy", "calendar"}), matching_policy=_policy(
            body.matching_policy), calendar=_calendar(body.calendar), correlation_id=x_correlation_id or uuid4(),
            today=datetime.now(UTC).date())
        async with uow_factory() as uow:
            programme, created = await domain(handlers.launch_programme(cmd, uow))
        if not created:
            response.status_code = status.HTTP_200_OK
        return programme_out(programme)

    @router.get("/programmes", response_model=ProgrammePage)
    async def list_programmes(status: Annotated[Literal["open", "closed"] | None, AnyCase] = None,
                              offset: Offset = 0, limit: Limit = 50, grant: Grant = allowed("programmes.list")):
        async with uow_factory() as uow:
            items, total = await uow.programmes.page(status, offset, limit, grant.scope)
        return ProgrammePage(items=[programme_out(p) for p in items], total=total, offset=offset, limit=limit)

    @router.get("/programmes/{programme_id}", response_model=ProgrammeOut)
    async def get_programme(programme_id: UUID, grant: Grant = allowed("programmes.read")):
        async with uow_factory() as uow:
            programme = await uow.programmes.get(programme_id)
        grant.require(programme is not None and grant.scope.sees_programme(programme_id, programme.countries),
                      "path.programme_id", f"programme {programme_id}")
        return programme_out(programme)

    @router.patch("/programmes/{programme_id}", response_model=ProgrammeOut,
                  summary="Change a programme; publishes ProgrammeUpdated with the whole new state",
                  dependencies=[allowed("programmes.update")])
    async def update_programme(programme_id: UUID, body: ProgrammeChanges, x_correlation_id: CorrelationId = None):
        changes = body.model_dump(exclude_unset=True, exclude={"matching_policy", "calendar"})
        if body.matching_policy is not None:
            changes["matching_policy"] = _policy(body.matching_policy)
        if body.calendar is not None:
            changes["calendar"] = _calendar(body.calendar)
        cmd = UpdateProgramme(programme_id, changes, x_correlation_id or uuid4())
        async with uow_factory() as uow:
            return programme_out(await domain(handlers.update_programme(cmd, uow)))

    @router.post("/programmes/{programme_id}/closure", response_model=ProgrammeOut,
                 summary="Close the programme to enrollment (idempotent)", dependencies=[allowed("programmes.close")])
    async def close_programme(programme_id: UUID, x_correlation_id: CorrelationId = None):
        async with uow_factory() as uow:
            cmd = CloseProgramme(programme_id, x_correlation_id or uuid4())
            return programme_out(await domain(handlers.close_programme(cmd, uow)))

    @router.get("/programmes/{programme_id}/statistics", response_model=ProgrammeStatistics)
    async def statistics(programme_id: UUID, grant: Grant = allowed("programmes.statistics")):
        async with uow_factory() as uow:
            programme = await uow.programmes.get(programme_id)
            grant.require(programme is not None and grant.scope.sees_programme(programme_id, programme.countries),
                          "path.programme_id", f"programme {programme_id}")
            rows = await uow.participants.counts(programme_id, grant.scope)
        by = [Counter(), Counter(), Counter()]
        for role, country, state, n in rows:
            for counter, key in zip(by, (role, country, state), strict=True):
                counter[key] += n
        return ProgrammeStatistics(
            programme_id=programme_id, total=sum(n for *_, n in rows), by_role=dict(by[0]), by_country=dict(by[1]),
            by_status=dict(by[2]), rows=[StatisticsRow(role=r, country=c, status=s, participants=n)
                                          for r, c, s, n in rows])

    return router
