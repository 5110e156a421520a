"""Enrollment's HTTP surface: programmes and participants."""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Header, Query, Response, status

from enrollment import handlers
from enrollment.domain.commands import EnrollParticipant, LaunchProgramme, WithdrawParticipant
from enrollment.domain.errors import Conflict, Invalid, NotFound
from enrollment.domain.model import MatchingPolicy, Participant, Programme, Skill, Slot
from enrollment.entrypoints.schemas import (
    ParticipantIn,
    ParticipantOut,
    ParticipantPage,
    ProgrammeIn,
    ProgrammeOut,
    SkillIn,
    SlotIn,
    WithdrawalIn,
)
from enrollment.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection

CorrelationId = Annotated[UUID | None, Header(alias="X-Correlation-ID")]


def build_http_router(uow_factory: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["enrollment"])

    @router.post("/programmes", response_model=ProgrammeOut, status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "Already launched with the same code (idempotent re-send)"}})
    async def launch_programme(body: ProgrammeIn, response: Response, x_correlation_id: CorrelationId = None):
        policy = body.matching_policy
        cmd = LaunchProgramme(
            **body.model_dump(exclude={"matching_policy"}),
            matching_policy=MatchingPolicy(**policy.model_dump(exclude={"weights"}),
                                           weights=tuple(sorted(policy.weights.items()))),
            correlation_id=x_correlation_id or uuid4(),
        )
        async with uow_factory() as uow:
            programme, created = await _domain(handlers.launch_programme(cmd, uow))
        if not created:
            response.status_code = status.HTTP_200_OK
        return _programme_out(programme)

    @router.get("/programmes/{programme_id}", response_model=ProgrammeOut)
    async def get_programme(programme_id: UUID):
        async with uow_factory() as uow:
            programme = await uow.programmes.get(programme_id)
        if programme is None:
            raise DomainRejection(404, "programme_id", f"programme {programme_id} not found")
        return _programme_out(programme)

    @router.post("/programmes/{programme_id}/participants", response_model=ParticipantOut,
                 status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "Already enrolled with the same data (idempotent re-send)"}})
    async def enroll_participant(programme_id: UUID, body: ParticipantIn, response: Response,
                                 x_correlation_id: CorrelationId = None):
        cmd = EnrollParticipant(
            programme_id=programme_id,
            **body.model_dump(exclude={"availability", "skills"}),
            availability=[Slot.parse(s.weekday, s.start, s.end) for s in body.availability],
            skills=tuple(Skill(s.topic, s.proficiency, s.wish) for s in body.skills),
            correlation_id=x_correlation_id or uuid4(),
        )
        async with uow_factory() as uow:
            participant, created = await _domain(handlers.enroll_participant(cmd, uow))
        if not created:
            response.status_code = status.HTTP_200_OK
        return _participant_out(participant)

    @router.get("/programmes/{programme_id}/participants", response_model=ParticipantPage)
    async def list_participants(programme_id: UUID, offset: Annotated[int, Query(ge=0)] = 0,
                                limit: Annotated[int, Query(ge=1, le=500)] = 50):
        async with uow_factory() as uow:
            items, total = await uow.participants.page(programme_id, offset, limit)
        return ParticipantPage(items=[_participant_out(p) for p in items], total=total, offset=offset, limit=limit)

    @router.post("/programmes/{programme_id}/participants/{participant_id}/withdrawal", response_model=ParticipantOut,
                 summary="Withdraw a participant (idempotent); their pairs are dissolved and sessions cancelled")
    async def withdraw_participant(programme_id: UUID, participant_id: UUID, body: WithdrawalIn,
                                   x_correlation_id: CorrelationId = None):
        cmd = WithdrawParticipant(programme_id, participant_id, body.reason, x_correlation_id or uuid4())
        async with uow_factory() as uow:
            participant = await _domain(handlers.withdraw_participant(cmd, uow))
        return _participant_out(participant)

    return router


async def _domain(call):
    try:
        return await call
    except Invalid as exc:
        raise DomainRejection(422, exc.field, exc.reason) from exc
    except NotFound as exc:
        raise DomainRejection(404, f"{exc.what}_id", str(exc)) from exc
    except Conflict as exc:
        raise DomainRejection(409, exc.field, exc.reason) from exc


def _programme_out(p: Programme) -> ProgrammeOut:
    fields = {k: getattr(p, k) for k in ProgrammeOut.model_fields if k != "matching_policy"}
    policy = p.matching_policy
    return ProgrammeOut(**fields, matching_policy={**vars(policy), "weights": dict(policy.weights)})


def _participant_out(p: Participant) -> ParticipantOut:
    fields = {k: getattr(p, k) for k in ParticipantOut.model_fields if k not in ("availability", "skills")}
    slots = [SlotIn(weekday=s.weekday, start=s.as_hhmm()[0], end=s.as_hhmm()[1]) for s in p.availability]
    skills = [SkillIn(topic=s.topic, proficiency=s.proficiency, wish=s.wish) for s in p.skills]
    return ParticipantOut(**fields, availability=slots, skills=skills)
