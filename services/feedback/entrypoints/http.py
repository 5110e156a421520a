"""Feedback's HTTP surface: submit and read surveys."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Header, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from feedback import handlers
from feedback.domain.commands import SubmitSurvey
from feedback.domain.model import AnsweredDifferently, NotAMember, SessionNotCompleted, Survey
from feedback.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection


class SurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    session_id: UUID
    respondent_id: UUID = Field(description="participant_id of the mentor or mentee answering")
    rating: int = Field(ge=1, le=5, description="How useful was the session, 1-5")
    would_recommend: bool | None = None
    comment: str | None = Field(default=None, max_length=4000)


class SurveyOut(BaseModel):
    survey_id: UUID
    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    respondent_id: UUID
    respondent_role: str
    rating: int
    would_recommend: bool | None
    submitted_at: datetime


class SurveyPage(BaseModel):
    items: list[SurveyOut]
    total: int
    offset: int
    limit: int


def build_http_router(uow_factory: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["feedback"])

    @router.post("/surveys", response_model=SurveyOut, status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "Same answers already submitted (idempotent re-send)"}})
    async def submit_survey(body: SurveyIn, response: Response,
                            x_correlation_id: Annotated[UUID | None, Header(alias="X-Correlation-ID")] = None):
        cmd = SubmitSurvey(**body.model_dump(), submitted_at=datetime.now(UTC),
                           correlation_id=x_correlation_id or uuid4())
        try:
            async with uow_factory() as uow:
                survey, created = await handlers.submit_survey(cmd, uow)
        except SessionNotCompleted as exc:
            raise DomainRejection(409, "session_id", "session is not completed (or not known here yet)") from exc
        except NotAMember as exc:
            raise DomainRejection(422, "respondent_id", "respondent is neither the mentor nor the mentee") from exc
        except AnsweredDifferently as exc:
            raise DomainRejection(409, "respondent_id", "this respondent already answered differently") from exc
        if not created:
            response.status_code = status.HTTP_200_OK
        return _out(survey)

    @router.get("/surveys", response_model=SurveyPage)
    async def list_surveys(programme_id: UUID | None = None, offset: Annotated[int, Query(ge=0)] = 0,
                           limit: Annotated[int, Query(ge=1, le=500)] = 50):
        async with uow_factory() as uow:
            surveys, total = await uow.surveys.page(programme_id, offset, limit)
        return SurveyPage(items=[_out(s) for s in surveys], total=total, offset=offset, limit=limit)

    return router


def _out(s: Survey) -> SurveyOut:
    return SurveyOut(**{k: getattr(s, k) for k in SurveyOut.model_fields})
