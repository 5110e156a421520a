"""The one registry of event class -> topic: `<producer>.<event-kebab>.v<major>`."""

import re

from shared.contracts.enrollment import (
    ParticipantEnrolled,
    ParticipantErased,
    ParticipantKey,
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
    ParticipantKey,
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


DAY_MS = 86_400_000
# Pseudonymous history (random ids, sealed attributes): kept as long as a programme can run, so a new
# subscriber can rebuild a running programme from the beginning; older records age out.
PROGRAMME_LIFETIME = {"retention.ms": str(400 * DAY_MS)}
RETENTION: dict[type[IntegrationEvent], dict[str, str]] = {
    # Programme settings carry no personal data and a new subscriber needs them all.
    ProgrammeLaunched: {"retention.ms": "-1"},
    ProgrammeUpdated: {"retention.ms": "-1"},
    # An erasure must outlive every copy of what it erases.
    ParticipantErased: {"retention.ms": "-1"},
    # The latest key record per participant: compaction removes a key once its destroyed marker is
    # out of the active segment (enrollment rolls it, see KeyTopicRoller); 10 s segments bound that.
    # max.compaction.lag.ms: the cleaner takes a log only once its dirty share reaches the ratio, and
    # the live keys of every person never erased are the clean share, so on a topic holding many
    # people one erasure's records never reached 1 %; a destroyed key must not wait for other erasures.
    ParticipantKey: {"cleanup.policy": "compact", "min.cleanable.dirty.ratio": "0.01", "segment.ms": "10000",
                     "min.compaction.lag.ms": "0", "max.compaction.lag.ms": "60000",
                     "delete.retention.ms": str(DAY_MS)},
    SessionReminderDue: {"retention.ms": str(7 * DAY_MS)},  # a reminder is useless after its session
    SurveyInvited: {"retention.ms": str(60 * DAY_MS)},  # invitations expire after 14 or 30 days
}
DEAD_LETTERS = {"retention.ms": str(30 * DAY_MS)}  # time to fix the cause and replay
# Operations' own records (`ops.dlq-actions`: what was replayed or archived), kept like the history they act on.
OPERATIONS = PROGRAMME_LIFETIME


def compacted(topic: str) -> bool:
    """A compacted topic's null records are Kafka's deletion markers, not events."""
    return topic_config(topic).get("cleanup.policy") == "compact"


def topic_config(topic: str) -> dict[str, str]:
    """The deliberate retention of each topic (deploy/kafka/topics.yaml says the same)."""
    if topic.startswith("dlq."):
        return DEAD_LETTERS
    if topic.startswith("ops."):
        return OPERATIONS
    if topic not in EVENT_BY_TOPIC:
        return {}  # not one of ours (a test's own topic): the broker's defaults
    return RETENTION.get(EVENT_BY_TOPIC[topic], PROGRAMME_LIFETIME)


# Readable by the services' principals only (Kafka ACLs): the data keys that open sealed attributes.
SERVICES_ONLY = frozenset({topic_for(ParticipantKey)})
