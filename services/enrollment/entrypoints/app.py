"""ASGI factory: `uvicorn --factory enrollment.entrypoints.app:create_app`."""

from fastapi import FastAPI

from enrollment.bootstrap import bootstrap
from enrollment.config import Settings, get_settings
from enrollment.entrypoints.consumers import build_kafka_router
from enrollment.entrypoints.http import build_http_routers
from enrollment.policy import POLICY
from shared.contracts import (
    ParticipantEnrolled,
    ParticipantErased,
    ParticipantKey,
    ParticipantUpdated,
    ParticipantWithdrawn,
    ProgrammeLaunched,
    ProgrammeUpdated,
    topic_for,
)
from shared.runtime import Services, service_app

PUBLISHES = (ProgrammeLaunched, ProgrammeUpdated, ParticipantKey, ParticipantEnrolled, ParticipantUpdated,
             ParticipantWithdrawn, ParticipantErased)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    services = services or bootstrap(settings or get_settings())
    return service_app(
        services.runtime,
        title="Binôme enrollment",
        description="Programmes and the participants who enroll in them.",
        kafka_router=build_kafka_router(services.runtime.consumer, services.uow),
        http_routers=build_http_routers(services.uow),
        topics=[topic_for(e) for e in PUBLISHES],
        policy=POLICY,
    )
