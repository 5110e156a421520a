from typing import Any
from uuid import UUID

from feedback.domain.end_survey import EndSurvey
from feedback.domain.impact import Evidence
from feedback.domain.invitations import Invitation
from feedback.domain.model import CompletedSession, Survey
from feedback.domain.questionnaire import Answers
from feedback.unit_of_work import FeedbackUnitOfWork
from shared.contracts import IntegrationEvent
from shared.security.scope import EVERYTHING, Scope
from tests.fakes.memory import FakeAggregates, FakeErasure, FakeKeys, FakeTombstones


class FakeFacts:
    """Facts learnt from events, keyed by id, replaced whole like the Mongo upserts."""

    def __init__(self, uow: FeedbackUnitOfWork, key: str) -> None:
        self.uow, self.key = uow, key
        self.items: dict[UUID, Any] = {}
        self.writes_together = 0

    async def get(self, item_id: UUID) -> Any:
        return self.items.get(item_id)

    def put(self, item: Any) -> None:
        async def write() -> None:
            self.items[getattr(item, self.key)] = item

        self.uow.stage(write)

    def put_all(self, items: list[Any]) -> None:
        async def write() -> None:
            self.writes_together += 1
            self.items.update((getattr(i, self.key), i) for i in items)

        self.uow.stage(write)


class FakeCompletedSessions(FakeFacts):
    async def get(self, session_id: UUID) -> CompletedSession | None:
        return self.items.get(session_id)


class FakeStaged(FakeAggregates):
    def __init__(self, uow: FeedbackUnitOfWork) -> None:
        super().__init__()
        self.uow = uow

    async def get(self, survey_id: UUID) -> Any:
        return self.items.get(survey_id)

    def add(self, item: Any, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.insert(item.survey_id, item, events)

        self.uow.stage(write)

    def replace(self, item: Any, events: list[IntegrationEvent]) -> None:
        async def write() -> None:
            self.update(item.survey_id, item, events)

        self.uow.stage(write)


class FakeSurveys(FakeStaged):
    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Survey], int]:
        surveys = [s for s in self.items.values() if programme_id in (None, s.programme_id)
                   and scope.admits(s.programme_id, s.country, [s.respondent_id])]
        return surveys[offset:offset + limit], len(surveys)

    async def baseline_attitudes(self, respondent_id: UUID) -> Answers:
        mine = sorted((s for s in self.items.values() if s.respondent_id == respondent_id and s.attitudes),
                      key=lambda s: s.submitted_at)
        return dict(mine[0].attitudes) if mine else {}


class FakeInvitations(FakeStaged):
    writes_together = 0

    def add_all(self, items: list[tuple[Invitation, list[IntegrationEvent]]]) -> None:
        async def write() -> None:
            self.writes_together += 1
            for item, events in items:
                if item.survey_id not in self.items:  # stored by a race: left as it is
                    self.insert(item.survey_id, item, events)

        self.uow.stage(write)

    async def page(self, programme_id: UUID | None, respondent_id: UUID | None, kind: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Invitation], int]:
        found = [i for i in self.items.values() if programme_id in (None, i.programme_id)
                 and respondent_id in (None, i.respondent_id) and kind in (None, i.kind)
                 and scope.admits(i.programme_id, i.country, [i.respondent_id])]
        return found[offset:offset + limit], len(found)


class FakeImpact:
    def __init__(self, uow: "FakeFeedbackUnitOfWork") -> None:
        self.uow = uow

    async def evidence(self, programme_id: UUID) -> Evidence:
        u = self.uow

        def of(items: dict) -> list:
            return [x for x in items.values() if x.programme_id == programme_id]

        return Evidence(of(u.participants.items), of(u.invitations.items), of(u.surveys.items),
                        of(u.end_surveys.items), of(u.planned.items), of(u.sessions.items))

    async def programmes(self, limit: int) -> list[UUID]:
        return sorted({i.programme_id for i in self.uow.invitations.items.values()})[:limit]


class FakeFeedbackUnitOfWork(FeedbackUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.sessions = FakeCompletedSessions(self, "session_id")
        self.planned = FakeFacts(self, "session_id")
        self.participants = FakeFacts(self, "participant_id")
        self.invitations = FakeInvitations(self)
        self.surveys = FakeSurveys(self)
        self.end_surveys: FakeStaged = FakeStaged(self)
        self.impact = FakeImpact(self)
        self.erasure = FakeErasure(self)
        self.tombstones = FakeTombstones(self)
        self.keys = FakeKeys(self)

    def published(self) -> list[IntegrationEvent]:
        return [*self.invitations.events, *self.surveys.events, *self.end_surveys.events]


__all__ = ["EndSurvey", "FakeFeedbackUnitOfWork"]
