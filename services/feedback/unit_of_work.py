from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from feedback.domain.model import CompletedSession, Survey
from shared.contracts import IntegrationEvent
from shared.unit_of_work import UnitOfWork


class CompletedSessions(Protocol):
    async def get(self, session_id: UUID) -> CompletedSession | None: ...
    def put(self, session: CompletedSession) -> None: ...


class Surveys(Protocol):
    async def get(self, survey_id: UUID) -> Survey | None: ...
    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[Survey], int]: ...
    def add(self, survey: Survey, events: list[IntegrationEvent]) -> None: ...


class FeedbackUnitOfWork(UnitOfWork):
    sessions: CompletedSessions
    surveys: Surveys


UnitOfWorkFactory = Callable[[], FeedbackUnitOfWork]
