"""Events published by the scheduling service."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime

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
