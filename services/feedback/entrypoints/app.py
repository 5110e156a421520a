"""ASGI factory: `uvicorn --factory feedback.entrypoints.app:create_app`."""

from fastapi import FastAPI

from feedback.bootstrap import bootstrap
from feedback.config import Settings, get_settings
from feedback.entrypoints.consumers import build_kafka_router
from feedback.entrypoints.http import build_http_router
from shared.contracts import SurveySubmitted, topic_for
from shared.runtime import Services, service_app

PUBLISHES = (SurveySubmitted,)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    services = services or bootstrap(settings or get_settings())
    return service_app(
        services.runtime,
        title="Binôme feedback",
        description="Surveys after completed sessions.",
        kafka_router=build_kafka_router(services.runtime.consumer, services.uow),
        http_routers=[build_http_router(services.uow)],
        topics=[topic_for(e) for e in PUBLISHES],
    )
