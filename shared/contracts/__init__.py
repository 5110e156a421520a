"""The published language between services: one envelope, one class per event, one topic each."""

from shared.contracts.enrollment import (
    CurriculumModule,
    MatchingPolicy,
    ParticipantEnrolled,
    ParticipantErased,
    ParticipantUpdated,
    ParticipantWithdrawn,
    ProgrammeFormat,
    ProgrammeLaunched,
    ProgrammeUpdated,
    Role,
    TopicSkill,
    WeeklySlot,
)
from shared.contracts.envelope import IntegrationEvent
from shared.contracts.feedback import (
    AttitudeChange,
    EndSurveySubmitted,
    ItemScore,
    SkillChange,
    SurveyInvited,
    SurveySubmitted,
)
from shared.contracts.matching import PairCreated, PairDissolved, PairMember
from shared.contracts.scheduling import PairCompleted, SessionCompleted, SessionScheduled
from shared.contracts.topics import EVENT_BY_TOPIC, EVENTS, TOPICS, dlq_topic, topic_for

__all__ = [
    "EVENTS",
    "EVENT_BY_TOPIC",
    "TOPICS",
    "AttitudeChange",
    "CurriculumModule",
    "EndSurveySubmitted",
    "IntegrationEvent",
    "ItemScore",
    "MatchingPolicy",
    "PairCompleted",
    "PairCreated",
    "PairDissolved",
    "PairMember",
    "ParticipantEnrolled",
    "ParticipantErased",
    "ParticipantUpdated",
    "ParticipantWithdrawn",
    "ProgrammeFormat",
    "ProgrammeLaunched",
    "ProgrammeUpdated",
    "Role",
    "SessionCompleted",
    "SessionScheduled",
    "SkillChange",
    "SurveyInvited",
    "SurveySubmitted",
    "TopicSkill",
    "WeeklySlot",
    "dlq_topic",
    "topic_for",
]
