"""The one registry of event class -> topic: `<producer>.<event-kebab>.v<major>`."""

import re

from shared.contracts.enrollment import (
    ParticipantEnrolled,
    ParticipantErased,
    ParticipantUpdated,
    ParticipantWithdrawn,
    ProgrammeLaunched,
    ProgrammeUpdated,
)
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.feedback import EndSurveySubmitted, SurveyInvited, SurveySubmitted
from shared.contracts.matching import PairCreated, PairDissolved
from shared.contracts.scheduling import (
    CafeJoined,
    CafePublished,
    PairAtRisk,
    PairClosedInactive,
    PairCompleted,
    PairUnschedulable,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionReminderDue,
    SessionRescheduled,
    SessionScheduled,
)

EVENTS: tuple[type[IntegrationEvent], ...] = (
    ProgrammeLaunched,
    ProgrammeUpdated,
    ParticipantEnrolled,
    ParticipantUpdated,
    ParticipantWithdrawn,
    ParticipantErased,
    PairCreated,
    PairDissolved,
    SessionScheduled,
    SessionCompleted,
    PairCompleted,
    SurveyInvited,
    SessionRescheduled,
    SessionCancelled,
    SessionMissed,
    SessionReminderDue,
    PairUnschedulable,
    PairAtRisk,
    PairClosedInactive,
    CafePublished,
    CafeJoined,
    SurveySubmitted,
    EndSurveySubmitted,
)


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def topic_for(event: type[IntegrationEvent] | IntegrationEvent) -> str:
    cls = event if isinstance(event, type) else type(event)
    return f"{cls.producer_service}.{_kebab(cls.__name__)}.v{cls.major_version}"


def dlq_topic(consumer: str, topic: str) -> str:
    return f"dlq.{consumer}.{topic}"


TOPICS: dict[type[IntegrationEvent], str] = {cls: topic_for(cls) for cls in EVENTS}
EVENT_BY_TOPIC: dict[str, type[IntegrationEvent]] = {t: cls for cls, t in TOPICS.items()}
