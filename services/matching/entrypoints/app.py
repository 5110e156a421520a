"""ASGI factory: `uvicorn --factory matching.entrypoints.app:create_app`."""

from fastapi import FastAPI

from matching.bootstrap import bootstrap
from matching.config import Settings, get_settings
from matching.entrypoints.consumers import build_kafka_router
from matching.entrypoints.http import build_http_router
from matching.policy import POLICY
from shared.contracts import PairCreated, PairDissolved, topic_for
from shared.runtime import Services, service_app

PUBLISHES = (PairCreated, PairDissolved)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    services = services or bootstrap(settings or get_settings())
    return service_app(
        services.runtime,
        title="Binôme matching",
        description="Pairs mentors and mentees of a programme.",
        kafka_router=build_kafka_router(services.runtime.consumer, services.uow),
        http_routers=[build_http_router(services.uow)],
        topics=[topic_for(e) for e in PUBLISHES],
        policy=POLICY,
    )
