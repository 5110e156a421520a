"""Feedback's HTTP surface for session surveys and invitations."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Header, Response, status

from feedback import handlers
from feedback.config import Settings
from feedback.domain.commands import SubmitSurvey
from feedback.domain.invitations import Invitation, SurveyExpired
from feedback.domain.model import AnsweredDifferently, NotAMember, SessionNotCompleted, Survey
from feedback.domain.questionnaire import InvalidAnswer
from feedback.entrypoints.schemas import InvitationOut, InvitationPage, SurveyIn, SurveyOut, SurveyPage
from feedback.policy import allowed
from feedback.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection
from shared.http_params import AnyCase, Limit, Offset
from shared.http_statuses import rejections
from shared.security import Grant

CorrelationId = Annotated[UUID | None, Header(alias="X-Correlation-ID")]
AfterSubmit = Callable[[UUID], Awaitable[None]]


async def _nothing(_: UUID) -> None:
    return None


def build_http_router(uow_factory: UnitOfWorkFactory, settings: Settings | None = None,
                      after_submit: AfterSubmit = _nothing) -> APIRouter:
    settings = settings or Settings()
    router = APIRouter(tags=["feedback"])

    @router.post("/surveys", response_model=SurveyOut, status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "Same answers already submitted (idempotent re-send)"},
                            **rejections(410)})
    async def submit_survey(body: SurveyIn, response: Response, x_correlation_id: CorrelationId = None,
                            grant: Grant = allowed("surveys.submit")):
        answers_for_self(grant, body.respondent_id)
        fields = body.model_dump(exclude={"attitudes", "modules_covered"})
        cmd = SubmitSurvey(**fields, submitted_at=datetime.now(UTC), correlation_id=x_correlation_id or uuid4(),
                           modules_covered=tuple(body.modules_covered),
                           attitudes={a.item: a.score for a in body.attitudes},
                           on_resubmit=settings.survey_resubmission)
        try:
            async with uow_factory() as uow:
                survey, created = await handlers.submit_survey(cmd, uow)
        except SessionNotCompleted as exc:
            raise DomainRejection(409, "session_id", "session is not completed (or not known here yet)") from exc
        except NotAMember as exc:
            raise DomainRejection(422, "respondent_id", "respondent is neither the mentor nor the mentee") from exc
        except AnsweredDifferently as exc:
            raise DomainRejection(409, "respondent_id", "this respondent already answered differently") from exc
        except SurveyExpired as exc:
            raise DomainRejection(410, "session_id", f"the survey closed at {exc.args[0].isoformat()}") from exc
        except InvalidAnswer as exc:
            raise DomainRejection(422, exc.field, exc.reason) from exc
        if created:
            await after_submit(survey.programme_id)
        else:
            response.status_code = status.HTTP_200_OK
        return _out(survey)

    @router.get("/surveys", response_model=SurveyPage)
    async def list_surveys(programme_id: UUID | None = None, offset: Offset = 0,
                           limit: Limit = 50, grant: Grant = allowed("surveys.list")):
        async with uow_factory() as uow:
            surveys, total = await uow.surveys.page(programme_id, offset, limit, grant.scope)
        grant.about(*(s.respondent_id for s in surveys))
        return SurveyPage(items=[_out(s) for s in surveys], total=total, offset=offset, limit=limit)

    @router.get("/invitations", response_model=InvitationPage)
    async def list_invitations(programme_id: UUID | None = None, respondent_id: UUID | None = None,
                               kind: Annotated[Literal["session", "end"] | None, AnyCase] = None, offset: Offset = 0,
                               limit: Limit = 50, grant: Grant = allowed("invitations.list")):
        """Survey invitations (session and end-of-programme) with their expiry, for delivery systems."""
        async with uow_factory() as uow:
            found, total = await uow.invitations.page(programme_id, respondent_id, kind, offset, limit, grant.scope)
        grant.about(*(i.respondent_id for i in found))
        return InvitationPage(items=[_invitation(i) for i in found], total=total, offset=offset, limit=limit)

    return router


def answers_for_self(grant: Grant, respondent_id: UUID) -> None:
    grant.about(respondent_id)
    grant.forbid_unless(grant.scope.admits(None, None, [respondent_id]), "respondent_id",
                        "you may only answer for yourself")


def _out(s: Survey) -> SurveyOut:
    return SurveyOut(**{k: getattr(s, k) for k in SurveyOut.model_fields})


def _invitation(i: Invitation) -> InvitationOut:
    return InvitationOut(**{k: getattr(i, k) for k in InvitationOut.model_fields})
