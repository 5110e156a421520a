"""The published language between services: one envelope, one class per event, one topic each."""

from shared.contracts.enrollment import (
    MatchingPolicy,
    ParticipantEnrolled,
    ParticipantWithdrawn,
    ProgrammeFormat,
    ProgrammeLaunched,
    Role,
    TopicSkill,
    WeeklySlot,
)
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.feedback import SurveySubmitted
from shared.contracts.matching import PairCreated, PairDissolved, PairMember
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
from shared.contracts.topics import EVENT_BY_TOPIC, EVENTS, TOPICS, dlq_topic, topic_for

__all__ = [
    "EVENTS",
    "EVENT_BY_TOPIC",
    "TOPICS",
    "CafeJoined",
    "CafePublished",
    "IntegrationEvent",
    "MatchingPolicy",
    "PairAtRisk",
    "PairClosedInactive",
    "PairCompleted",
    "PairCreated",
    "PairDissolved",
    "PairMember",
    "PairUnschedulable",
    "ParticipantEnrolled",
    "ParticipantWithdrawn",
    "ProgrammeFormat",
    "ProgrammeLaunched",
    "Role",
    "SessionCancelled",
    "SessionCompleted",
    "SessionMissed",
    "SessionReminderDue",
    "SessionRescheduled",
    "SessionScheduled",
    "SurveySubmitted",
    "TopicSkill",
    "WeeklySlot",
    "dlq_topic",
    "topic_for",
]
