from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from feedback.domain.end_survey import EndSurvey
from feedback.domain.impact import Evidence
from feedback.domain.invitations import Invitation
from feedback.domain.model import CompletedSession, Survey
from feedback.domain.participants import Participant, PlannedSession
from feedback.domain.questionnaire import Answers
from shared.contracts import IntegrationEvent
from shared.security.scope import EVERYTHING, Scope
from shared.unit_of_work import Erasure, Keys, Tombstones, UnitOfWork


class CompletedSessions(Protocol):
    async def get(self, session_id: UUID) -> CompletedSession | None: ...
    def put(self, session: CompletedSession) -> None: ...
    def put_all(self, sessions: list[CompletedSession]) -> None: ...


class PlannedSessions(Protocol):
    def put(self, session: PlannedSession) -> None: ...
    def put_all(self, sessions: list[PlannedSession]) -> None: ...


class Participants(Protocol):
    async def get(self, participant_id: UUID) -> Participant | None: ...
    def put(self, participant: Participant) -> None: ...


class Invitations(Protocol):
    async def get(self, survey_id: UUID) -> Invitation | None: ...
    async def page(self, programme_id: UUID | None, respondent_id: UUID | None, kind: str | None, offset: int,
                   limit: int, scope: Scope = EVERYTHING) -> tuple[list[Invitation], int]: ...
    def add(self, invitation: Invitation, events: list[IntegrationEvent]) -> None: ...
    def add_all(self, invitations: list[tuple[Invitation, list[IntegrationEvent]]]) -> None: ...


class Surveys(Protocol):
    async def get(self, survey_id: UUID) -> Survey | None: ...
    async def page(self, programme_id: UUID | None, offset: int, limit: int,
                   scope: Scope = EVERYTHING) -> tuple[list[Survey], int]: ...
    async def baseline_attitudes(self, respondent_id: UUID) -> Answers: ...
    def add(self, survey: Survey, events: list[IntegrationEvent]) -> None: ...
    def replace(self, survey: Survey, events: list[IntegrationEvent]) -> None: ...


class EndSurveys(Protocol):
    async def get(self, survey_id: UUID) -> EndSurvey | None: ...
    def add(self, survey: EndSurvey, events: list[IntegrationEvent]) -> None: ...
    def replace(self, survey: EndSurvey, events: list[IntegrationEvent]) -> None: ...


class Impact(Protocol):
    async def evidence(self, programme_id: UUID) -> Evidence: ...
    async def programmes(self, limit: int) -> list[UUID]: ...



class FeedbackUnitOfWork(UnitOfWork):
    sessions: CompletedSessions
    planned: PlannedSessions
    participants: Participants
    invitations: Invitations
    surveys: Surveys
    end_surveys: EndSurveys
    impact: Impact
    erasure: Erasure
    tombstones: Tombstones
    keys: Keys


UnitOfWorkFactory = Callable[[], FeedbackUnitOfWork]
