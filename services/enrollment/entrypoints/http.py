"""Enrollment's HTTP surface: participants and HR imports; programmes and curricula have their own modules."""

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Header, Query, Request, Response, status

from enrollment import handlers
from enrollment.domain.commands import EraseParticipant, ImportParticipants, WithdrawParticipant
from enrollment.entrypoints.hr_csv import UnreadableFile, parse_export
from enrollment.entrypoints.http_curricula import build_curricula_router
from enrollment.entrypoints.http_programmes import build_programmes_router
from enrollment.entrypoints.presenters import domain, participant_out
from enrollment.entrypoints.schemas import (
    ImportReportOut,
    ParticipantIn,
    ParticipantOut,
    ParticipantPage,
    WithdrawalIn,
)
from enrollment.entrypoints.translate import enroll_command
from enrollment.policy import allowed
from enrollment.unit_of_work import ParticipantFilter, UnitOfWorkFactory
from shared.http_errors import DomainRejection
from shared.http_params import AnyCase, Country, Limit, Offset
from shared.security import Grant

CorrelationId = Annotated[UUID | None, Header(alias="X-Correlation-ID")]
Today = Callable[[], date]


def utc_today() -> date:
    return datetime.now(UTC).date()


def build_http_routers(uow_factory: UnitOfWorkFactory, today: Today = utc_today) -> list[APIRouter]:
    return [build_programmes_router(uow_factory), build_curricula_router(uow_factory),
            build_participants_router(uow_factory, today)]


def build_participants_router(uow_factory: UnitOfWorkFactory, today: Today) -> APIRouter:
    router = APIRouter(tags=["participants"])
    base = "/programmes/{programme_id}/participants"

    @router.post(base, response_model=ParticipantOut, status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "Already enrolled: unchanged, or updated (ParticipantUpdated)"}})
    async def enroll_participant(programme_id: UUID, body: ParticipantIn, response: Response,
                                 x_correlation_id: CorrelationId = None, grant: Grant = allowed("participants.enroll")):
        grant.forbid_unless(grant.scope.admits(programme_id, body.country), "country",
                            "you may not enroll people in this programme or country")
        cmd = enroll_command(body, programme_id, x_correlation_id or uuid4(), today())
        async with uow_factory() as uow:
            participant, outcome = await domain(handlers.enroll_participant(cmd, uow))
        grant.about(participant.participant_id)
        if outcome != "enrolled":
            response.status_code = status.HTTP_200_OK
        return participant_out(participant)

    @router.get(base, response_model=ParticipantPage)
    async def list_participants(programme_id: UUID, country: Country = None,
                                role: Annotated[Literal["mentor", "mentee", "both"] | None, AnyCase] = None,
                                status: Annotated[Literal["enrolled", "withdrawn"] | None, AnyCase] = None,
                                offset: Offset = 0, limit: Limit = 50,
                                after: Annotated[UUID | None, Query(
                                    description="cursor: the `next_after` of the previous page")] = None,
                                grant: Grant = allowed("participants.list")):
        where = ParticipantFilter(programme_id, country, role, status, after, grant.scope)
        async with uow_factory() as uow:
            items, total = await uow.participants.page(where, offset, limit)
        grant.about(*(p.participant_id for p in items))
        return ParticipantPage(items=[participant_out(p) for p in items], total=total, offset=offset, limit=limit,
                               next_after=items[-1].participant_id if len(items) == limit else None)

    @router.get(base + "/{participant_id}", response_model=ParticipantOut)
    async def get_participant(programme_id: UUID, participant_id: UUID, grant: Grant = allowed("participants.read")):
        grant.about(participant_id)
        async with uow_factory() as uow:
            participant = await uow.participants.get(participant_id)
        grant.require(participant is not None and participant.programme_id == programme_id
                      and grant.scope.admits(programme_id, participant.country, [participant_id]),
                      "path.participant_id", f"participant {participant_id}")
        return participant_out(participant)

    @router.post(base + "/{participant_id}/withdrawal", response_model=ParticipantOut,
                 summary="Withdraw a participant (idempotent); their pairs are dissolved and sessions cancelled")
    async def withdraw_participant(programme_id: UUID, participant_id: UUID, body: WithdrawalIn,
                                   x_correlation_id: CorrelationId = None,
                                   grant: Grant = allowed("participants.withdraw")):
        await in_scope(uow_factory, grant, programme_id, participant_id)
        cmd = WithdrawParticipant(programme_id, participant_id, body.reason, x_correlation_id or uuid4())
        async with uow_factory() as uow:
            return participant_out(await domain(handlers.withdraw_participant(cmd, uow)))

    @router.post(base + "/{participant_id}/erasure", status_code=status.HTTP_202_ACCEPTED,
                 summary="Right to be forgotten: erase the participant here and, through ParticipantErased, everywhere")
    async def erase_participant(programme_id: UUID, participant_id: UUID, x_correlation_id: CorrelationId = None,
                                grant: Grant = allowed("participants.erase")):
        await in_scope(uow_factory, grant, programme_id, participant_id)
        cmd = EraseParticipant(programme_id, participant_id, x_correlation_id or uuid4())
        async with uow_factory() as uow:
            await domain(handlers.erase_participant(cmd, uow))
        return {"participant_id": participant_id, "status": "erased",
                "note": "matching, scheduling and feedback erase their copies when they consume ParticipantErased"}

    @router.post("/programmes/{programme_id}/imports", response_model=ImportReportOut,
                 summary="Bulk-enroll from an HR export (text/csv, UTF-8, comma or semicolon, at most 100,000 rows)",
                 openapi_extra={"requestBody": {"required": True, "content": {"text/csv": {"schema": {
                     "type": "string"}}}}}, dependencies=[allowed("participants.import")])
    async def import_participants(programme_id: UUID, request: Request, x_correlation_id: CorrelationId = None):
        if not request.headers.get("content-type", "").startswith("text/csv"):
            raise DomainRejection(415, "header.content-type", "send the export as text/csv")
        try:
            # Parsed in a worker thread: a big file never stops this service answering or its consumers
            # heartbeating (the GIL is handed back to the event loop every few milliseconds).
            rows = await asyncio.to_thread(parse_export, await request.body(), programme_id,
                                           x_correlation_id or uuid4(), today())
        except UnreadableFile as exc:
            raise DomainRejection(422, exc.field, exc.reason) from exc
        cmd = ImportParticipants(programme_id, rows, x_correlation_id or uuid4(), today())
        async with uow_factory() as uow:
            report = await domain(handlers.import_participants(cmd, uow))

        def as_json() -> bytes:  # tens of thousands of refused rows: serialised off the event loop too
            return ImportReportOut(rows=report.rows, enrolled=report.enrolled, updated=report.updated,
                                   unchanged=report.unchanged,
                                   rejected=[vars(e) for e in report.rejected]).model_dump_json().encode()

        return Response(await asyncio.to_thread(as_json), media_type="application/json")

    return router


async def in_scope(uow_factory: UnitOfWorkFactory, grant: Grant, programme_id: UUID, participant_id: UUID) -> None:
    """Before a change: the person must be in the caller's scope. Decided from the path when the scope
    does not restrict countries; otherwise from the stored participant (one read by id)."""
    grant.about(participant_id)
    found, country = True, None
    if grant.scope.countries is not None:
        async with uow_factory() as uow:
            participant = await uow.participants.get(participant_id)
        found, country = participant is not None, participant.country if participant else None
    grant.require(found and grant.scope.admits(programme_id, country, [participant_id]), "path.participant_id",
                  f"participant {participant_id}")
