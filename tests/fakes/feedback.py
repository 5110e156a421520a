from uuid import UUID

from feedback.domain.model import CompletedSession, Survey
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.contracts import IntegrationEvent
from tests.fakes.memory import FakeAggregates


class FakeCompletedSessions:
    def __init__(self, uow: FeedbackUnitOfWork) -> None:
        self.uow = uow
        self.items: dict[UUID, CompletedSession] = {}

    async def get(self, session_id: UUID) -> CompletedSession | None:
        return self.items.get(session_id)

    def put(self, session: CompletedSession) -> None:
        async def write() -> None:
            self.items[session.session_id] = session

        self.uow.stage(write)


class FakeSurveys(FakeAggregates):
    def __init__(self, uow: FeedbackUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, survey_id: UUID) -> Survey | None:
        return self.items.get(survey_id)

    async def page(self, programme_id: UUID | None, offset: int, limit: int) -> tuple[list[Survey], int]:
        surveys = [s for s in self.items.values() if programme_id in (None, s.programme_id)]
        return surveys[offset:offset + limit], len(surveys)

    def add(self, survey: Survey, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.insert(survey.survey_id, survey, events)

        self.uow.stage(write)


class FakeFeedbackUnitOfWork(FeedbackUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.sessions = FakeCompletedSessions(self)
        self.surveys = FakeSurveys(self)
