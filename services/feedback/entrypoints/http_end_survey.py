"""The end-of-programme survey over HTTP."""

from datetime import UTC, datetime
from uuid import uuid4

from fastapi import APIRouter, Response, status

from feedback import handlers
from feedback.config import Settings
from feedback.domain.commands import SubmitEndSurvey
from feedback.domain.end_survey import EndAnswers, EndSurvey
from feedback.domain.invitations import NotInvited, SurveyExpired
from feedback.domain.model import AnsweredDifferently
from feedback.domain.questionnaire import InvalidAnswer
from feedback.entrypoints.http import AfterSubmit, CorrelationId, answers_for_self
from feedback.entrypoints.schemas import EndSurveyIn, EndSurveyOut
from feedback.policy import allowed
from feedback.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection
from shared.http_statuses import rejections
from shared.security import Grant


def build_end_survey_router(uow_factory: UnitOfWorkFactory, settings: Settings,
                            after_submit: AfterSubmit) -> APIRouter:
    router = APIRouter(tags=["feedback"])

    @router.post("/end-surveys", response_model=EndSurveyOut, status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "Same answers already submitted (idempotent re-send)"},
                            **rejections(410)})
    async def submit_end_survey(body: EndSurveyIn, response: Response, x_correlation_id: CorrelationId = None,
                                grant: Grant = allowed("end-surveys.submit")):
        """One answer per (pair, respondent), open from PairCompleted until the invitation expires."""
        answers_for_self(grant, body.respondent_id)
        answers = EndAnswers(body.would_recommend, body.nps, {s.topic: s.proficiency for s in body.skills},
                             {a.item: a.score for a in body.attitudes}, tuple(body.gains), body.comment)
        cmd = SubmitEndSurvey(body.pair_id, body.respondent_id, answers, datetime.now(UTC),
                              x_correlation_id or uuid4(), settings.survey_resubmission)
        try:
            async with uow_factory() as uow:
                survey, created = await handlers.submit_end_survey(cmd, uow)
        except NotInvited as exc:
            raise DomainRejection(404, "respondent_id", "no end-of-programme survey for this respondent and "
                                  "pair (the pair has not completed, or not known here yet)") from exc
        except SurveyExpired as exc:
            raise DomainRejection(410, "pair_id", f"the survey closed at {exc.args[0].isoformat()}") from exc
        except AnsweredDifferently as exc:
            raise DomainRejection(409, "respondent_id", "this respondent already answered differently") from exc
        except InvalidAnswer as exc:
            raise DomainRejection(422, exc.field, exc.reason) from exc
        if created:
            await after_submit(survey.programme_id)
        else:
            response.status_code = status.HTTP_200_OK
        return _out(survey)

    return router


def _out(s: EndSurvey) -> EndSurveyOut:
    return EndSurveyOut(**{k: getattr(s, k) for k in EndSurveyOut.model_fields})
