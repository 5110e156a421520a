"""ASGI factory: `uvicorn --factory feedback.entrypoints.app:create_app`."""

from fastapi import FastAPI

from feedback.bootstrap import bootstrap
from feedback.config import Settings, get_settings
from feedback.entrypoints.consumers import build_kafka_router
from feedback.entrypoints.http import build_http_router
from feedback.entrypoints.http_end_survey import build_end_survey_router
from feedback.entrypoints.http_impact import ImpactReports, build_impact_router
from feedback.entrypoints.impact_metrics import ImpactGauges
from feedback.policy import POLICY
from shared.contracts import EndSurveySubmitted, SurveyInvited, SurveySubmitted, topic_for
from shared.runtime import Services, service_app

PUBLISHES = (SurveyInvited, SurveySubmitted, EndSurveySubmitted)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or get_settings()
    services = services or bootstrap(settings)
    runtime = services.runtime
    gauges = ImpactGauges(runtime.registry, settings.metrics_max_programmes, settings.metrics_max_countries)
    reports = ImpactReports(services.uow, settings, gauges)
    runtime.startup.append(reports.refresh_all)
    return service_app(
        runtime,
        title="Binôme feedback",
        description="Survey invitations, session and end-of-programme surveys, impact reports.",
        kafka_router=build_kafka_router(runtime.consumer, services.uow, settings),
        http_routers=[build_http_router(services.uow, settings, reports.refresh),
                      build_end_survey_router(services.uow, settings, reports.refresh),
                      build_impact_router(reports)],
        topics=[topic_for(e) for e in PUBLISHES],
        policy=POLICY,
    )
