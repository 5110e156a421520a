"""The published language between services: one envelope, one class per event, one topic each."""

from shared.contracts.enrollment import ParticipantEnrolled, ProgrammeLaunched, Role, WeeklySlot
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.feedback import SurveySubmitted
from shared.contracts.matching import PairCreated, PairMember
from shared.contracts.scheduling import SessionCompleted, SessionScheduled
from shared.contracts.topics import EVENT_BY_TOPIC, EVENTS, TOPICS, dlq_topic, topic_for

__all__ = [
    "EVENTS",
    "EVENT_BY_TOPIC",
    "TOPICS",
    "IntegrationEvent",
    "PairCreated",
    "PairMember",
    "ParticipantEnrolled",
    "ProgrammeLaunched",
    "Role",
    "SessionCompleted",
    "SessionScheduled",
    "SurveySubmitted",
    "WeeklySlot",
    "dlq_topic",
    "topic_for",
]
