"""The one envelope every integration event inherits."""

from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class IntegrationEvent(BaseModel):
    # extra="ignore": an old consumer keeps working when a producer adds fields.
    model_config = ConfigDict(frozen=True, extra="ignore")

    producer_service: ClassVar[str]
    major_version: ClassVar[int] = 1

    event_id: UUID = Field(default_factory=uuid4)
    event_type: str
    schema_version: int = 1
    occurred_at: AwareDatetime = Field(default_factory=utcnow)
    producer: str
    correlation_id: UUID = Field(default_factory=uuid4)
    causation_id: UUID | None = None

    @property
    def partition_key(self) -> str:
        """Kafka key: the aggregate id, so one aggregate's events stay ordered."""
        raise NotImplementedError

    def caused(self) -> dict[str, UUID]:
        """Envelope fields for an event this one causes: same flow, this event as cause."""
        return {"correlation_id": self.correlation_id, "causation_id": self.event_id}
