"""ASGI factory: `uvicorn --factory scheduling.entrypoints.app:create_app`."""

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

from fastapi import FastAPI

from scheduling.bootstrap import bootstrap
from scheduling.config import Settings, get_settings
from scheduling.entrypoints.consumers import build_kafka_router
from scheduling.entrypoints.http import build_http_router
from scheduling.entrypoints.http_cafes import build_cafes_router
from scheduling.entrypoints.http_changes import build_changes_router
from scheduling.entrypoints.ticker import Ticker
from scheduling.policy import POLICY
from shared.contracts import EVENTS, topic_for
from shared.runtime import Services, service_app

PUBLISHES = tuple(e for e in EVENTS if e.producer_service == "scheduling")


def _utcnow() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings | None = None, services: Services | None = None,
               clock: Callable[[], datetime] = _utcnow) -> FastAPI:
    settings = settings or get_settings()
    services = services or bootstrap(settings, clock)
    app = service_app(
        services.runtime,
        title="Binôme scheduling",
        description="Plans each pair's sessions in both members' time zones without double booking; "
                    "changes, invites, completion, reminders and inactivity.",
        kafka_router=build_kafka_router(services.runtime.consumer, services.uow),
        http_routers=[build_http_router(services.uow, clock),
                      build_changes_router(services.uow, clock, settings.timing), build_cafes_router(services.uow)],
        topics=[topic_for(e) for e in PUBLISHES],
        policy=POLICY,
    )
    if settings.tick_interval_seconds > 0:
        _run_alongside(app, Ticker(services.uow, clock, settings.timing, settings.tick_interval_seconds))
    return app


def _run_alongside(app: FastAPI, ticker: Ticker) -> None:
    """Wraps the shared lifespan so the periodic task starts after it and is cancelled before it ends."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[None]:
        async with inner(a):
            ticker.start()
            try:
                yield
            finally:
                await ticker.stop()

    app.router.lifespan_context = lifespan
