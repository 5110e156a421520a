"""Scheduling's read side over HTTP: pairs' series, sessions by programme/country/date, agendas,
and the calendar invites."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import AwareDatetime

from scheduling.adapters.invites import calendar_for
from scheduling.domain.model import SessionStatus
from scheduling.domain.pair import PairSchedule
from scheduling.entrypoints.schemas import AgendaEntry, Page, PairScheduleOut, PairSessionOut, pair_session
from scheduling.policy import allowed
from scheduling.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection
from shared.http_params import AnyCase, Country, Limit, Offset
from shared.security import Grant

ICS = "text/calendar; charset=utf-8"


def build_http_router(uow_factory: UnitOfWorkFactory, clock: Callable[[], datetime]) -> APIRouter:
    router = APIRouter(tags=["scheduling"])

    @router.get("/pairs", response_model=Page[PairScheduleOut])
    async def list_pairs(programme_id: UUID | None = None, offset: Offset = 0, limit: Limit = 50,
                         grant: Grant = allowed("pairs.list")):
        async with uow_factory() as uow:
            pairs, total = await uow.pairs.page(programme_id, offset, limit, grant.scope)
        grant.about(*(m.participant_id for p in pairs for m in p.members))
        return Page(items=[PairScheduleOut.of(p) for p in pairs], total=total, offset=offset, limit=limit)

    @router.get("/pairs/{pair_id}", response_model=PairScheduleOut, summary="A pair's series")
    async def get_pair(pair_id: UUID, grant: Grant = allowed("pairs.read")):
        return PairScheduleOut.of(await _pair(uow_factory, pair_id, grant))

    @router.get("/pairs/{pair_id}/calendar.ics", response_class=Response, summary="The pair's series as iCalendar")
    async def pair_calendar(pair_id: UUID, grant: Grant = allowed("pairs.calendar")):
        pair = await _pair(uow_factory, pair_id, grant)
        return Response(calendar_for(pair, sorted(pair.sessions, key=lambda s: s.starts_at), clock()), media_type=ICS)

    @router.get("/sessions", response_model=Page[PairSessionOut],
                summary="Sessions by programme, country and date range (starts_at in [from, to))")
    async def list_sessions(programme_id: UUID | None = None, country: Country = None,
                            from_: Annotated[AwareDatetime | None, Query(alias="from")] = None,
                            to: AwareDatetime | None = None, status: Annotated[SessionStatus | None, AnyCase] = None,
                            offset: Offset = 0, limit: Limit = 50, grant: Grant = allowed("sessions.list")):
        async with uow_factory() as uow:
            pairs = await uow.pairs.matching(programme_id, country, grant.scope)
        rows = sorted(((p, s) for p in pairs for s in p.sessions
                       if (from_ is None or s.starts_at >= from_) and (to is None or s.starts_at < to)
                       and (status is None or s.status == status)),
                      key=lambda ps: (ps[1].starts_at, str(ps[1].session_id)))
        items = [pair_session(p, s) for p, s in rows[offset:offset + limit]]
        grant.about(*(m.participant_id for p, _ in rows[offset:offset + limit] for m in p.members))
        return Page(items=items, total=len(rows), offset=offset, limit=limit)

    @router.get("/sessions/{session_id}", response_model=PairSessionOut)
    async def get_session(session_id: UUID, grant: Grant = allowed("sessions.read")):
        pair = await pair_with(uow_factory, session_id, grant)
        return pair_session(pair, pair.session(session_id))

    @router.get("/sessions/{session_id}/invite.ics", response_class=Response, summary="One session as iCalendar")
    async def session_invite(session_id: UUID, grant: Grant = allowed("sessions.invite")):
        pair = await pair_with(uow_factory, session_id, grant)
        return Response(calendar_for(pair, [pair.session(session_id)], clock()), media_type=ICS)

    @router.get("/participants/{participant_id}/agenda", response_model=Page[AgendaEntry],
                summary="Every session a participant is booked into, across pairs and programmes")
    async def agenda(participant_id: UUID, from_: Annotated[AwareDatetime | None, Query(alias="from")] = None,
                     to: AwareDatetime | None = None, offset: Offset = 0, limit: Limit = 50,
                     grant: Grant = allowed("agenda.read")):
        grant.about(participant_id)
        grant.require(grant.scope.admits(None, None, [participant_id]), "participant_id", f"agenda of {participant_id}")
        async with uow_factory() as uow:
            calendar = await uow.calendars.get(participant_id)
        entries = calendar.agenda(from_, to)
        items = [AgendaEntry(**vars(b)) for b in entries[offset:offset + limit]]
        return Page(items=items, total=len(entries), offset=offset, limit=limit)

    return router


def admits(grant: Grant, pair: PairSchedule | None) -> bool:
    if pair is None:
        return False
    grant.about(*(m.participant_id for m in pair.members))
    return grant.scope.admits(pair.programme_id, pair.country, [m.participant_id for m in pair.members])


async def _pair(uow_factory: UnitOfWorkFactory, pair_id: UUID, grant: Grant) -> PairSchedule:
    async with uow_factory() as uow:
        pair = await uow.pairs.get(pair_id)
    if not admits(grant, pair):
        raise DomainRejection(404, "pair_id", f"no schedule for pair {pair_id} (yet)")
    return pair


async def pair_with(uow_factory: UnitOfWorkFactory, session_id: UUID, grant: Grant) -> PairSchedule:
    """The pair holding the session, if the caller's scope admits it (else 404, as if absent)."""
    async with uow_factory() as uow:
        pair = await uow.pairs.with_session(session_id)
    if not admits(grant, pair):
        raise DomainRejection(404, "session_id", f"session {session_id} not found")
    return pair
