"""Events published by the scheduling service."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from shared.contracts.envelope import IntegrationEvent


class SessionScheduled(IntegrationEvent):
    producer_service: ClassVar[str] = "scheduling"
    event_type: Literal["SessionScheduled"] = "SessionScheduled"
    producer: str = "scheduling"

    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    sequence: int
    starts_at: AwareDatetime
    duration_minutes: int
    mentor_id: UUID
    mentee_id: UUID
    schema_version: int = 2
    module: int | None = Field(default=None, description="the programme module (its place in the plan) it covers")
    group_id: UUID | None = Field(default=None, description="same for every pair's session of one group meeting")

    @property
    def partition_key(self) -> str:
        # Keyed by pair so a pair's sessions stay in order for every consumer.
        return str(self.pair_id)


class SessionCompleted(IntegrationEvent):
    producer_service: ClassVar[str] = "scheduling"
    event_type: Literal["SessionCompleted"] = "SessionCompleted"
    producer: str = "scheduling"

    session_id: UUID
    pair_id: UUID
    programme_id: UUID
    country: str
    sequence: int
    completed_at: AwareDatetime
    actual_minutes: int
    mentor_id: UUID
    mentee_id: UUID
    schema_version: int = 2
    modules_covered: list[int] = Field(default_factory=list)

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)




class PairCompleted(IntegrationEvent):
    """Every session of the pair's plan was completed; feedback opens the end-of-programme survey."""

    producer_service: ClassVar[str] = "scheduling"
    event_type: Literal["PairCompleted"] = "PairCompleted"
    producer: str = "scheduling"

    pair_id: UUID
    programme_id: UUID
    country: str
    mentor_id: UUID
    mentee_id: UUID
    sessions_completed: int
    completed_at: AwareDatetime

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)


class _PairEvent(IntegrationEvent):
    producer_service: ClassVar[str] = "scheduling"
    producer: str = "scheduling"

    pair_id: UUID
    programme_id: UUID
    mentor_id: UUID
    mentee_id: UUID

    @property
    def partition_key(self) -> str:
        return str(self.pair_id)


class SessionRescheduled(_PairEvent):
    event_type: Literal["SessionRescheduled"] = "SessionRescheduled"

    session_id: UUID
    sequence: int
    module: int
    previous_starts_at: AwareDatetime
    starts_at: AwareDatetime
    duration_minutes: int


CancelReason = Literal["requested", "participant_withdrew", "pair_dissolved", "closed_inactive", "no_slot_left"]


class SessionCancelled(_PairEvent):
    event_type: Literal["SessionCancelled"] = "SessionCancelled"

    session_id: UUID
    sequence: int
    module: int
    starts_at: AwareDatetime
    reason: CancelReason


class SessionMissed(_PairEvent):
    event_type: Literal["SessionMissed"] = "SessionMissed"

    session_id: UUID
    country: str
    sequence: int
    module: int
    starts_at: AwareDatetime


class SessionReminderDue(_PairEvent):
    """Sent a configurable time before a session, for whoever notifies the participants."""

    event_type: Literal["SessionReminderDue"] = "SessionReminderDue"

    session_id: UUID
    sequence: int
    starts_at: AwareDatetime
    duration_minutes: int


class PairUnschedulable(_PairEvent):
    event_type: Literal["PairUnschedulable"] = "PairUnschedulable"

    country: str
    reason_code: Literal["no_common_availability", "only_weekends_or_holidays", "fully_booked", "after_programme_end"]
    module: int
    schema_version: int = 2
    sessions_planned: int = Field(default=0, description="v2: sessions the pair keeps planned")
    sessions_to_plan: int = Field(default=0, description="v2: sessions still unplaced at the planning deadline")


class PairAtRisk(_PairEvent):
    """No session completed for the programme's inactivity period; closed after the warning period."""

    event_type: Literal["PairAtRisk"] = "PairAtRisk"

    country: str
    last_activity_at: AwareDatetime
    closes_at: AwareDatetime


class PairClosedInactive(_PairEvent):
    event_type: Literal["PairClosedInactive"] = "PairClosedInactive"

    country: str
    sessions_cancelled: int


class CafePublished(IntegrationEvent):
    """An open session on a topic that any participant of the programme may join, up to capacity."""

    producer_service: ClassVar[str] = "scheduling"
    event_type: Literal["CafePublished"] = "CafePublished"
    producer: str = "scheduling"

    cafe_id: UUID
    programme_id: UUID
    topic: str
    starts_at: AwareDatetime
    duration_minutes: int
    capacity: int

    @property
    def partition_key(self) -> str:
        return str(self.cafe_id)


class CafeJoined(IntegrationEvent):
    producer_service: ClassVar[str] = "scheduling"
    event_type: Literal["CafeJoined"] = "CafeJoined"
    producer: str = "scheduling"

    cafe_id: UUID
    programme_id: UUID
    participant_id: UUID
    starts_at: AwareDatetime
    duration_minutes: int
    seats_left: int

    @property
    def partition_key(self) -> str:
        return str(self.cafe_id)
