"""ASGI factory: `uvicorn --factory scheduling.entrypoints.app:create_app`."""

from fastapi import FastAPI

from scheduling.bootstrap import bootstrap
from scheduling.config import Settings, get_settings
from scheduling.entrypoints.consumers import build_kafka_router
from scheduling.entrypoints.http import build_http_router
from shared.contracts import SessionCompleted, SessionScheduled, topic_for
from shared.runtime import Services, service_app

PUBLISHES = (SessionScheduled, SessionCompleted)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    services = services or bootstrap(settings or get_settings())
    return service_app(
        services.runtime,
        title="Binôme scheduling",
        description="Plans the sessions of each pair and records their completion.",
        kafka_router=build_kafka_router(services.runtime.consumer, services.uow),
        http_routers=[build_http_router(services.uow)],
        topics=[topic_for(e) for e in PUBLISHES],
    )
