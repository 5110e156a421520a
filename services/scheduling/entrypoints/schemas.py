"""HTTP request and response bodies."""

from datetime import date, datetime
from typing import Generic, TypeVar
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from scheduling.domain.model import Session, SessionStatus
from scheduling.domain.pair import PairSchedule

T = TypeVar("T")


class CompletionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actual_minutes: int = Field(ge=1, le=480)
    completed_at: AwareDatetime | None = Field(default=None, description="Defaults to now (UTC)")
    modules_covered: list[int] = Field(default_factory=list, max_length=50,
                                       description="modules (1-based plan positions); default: the session's own")


class RescheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts_at: AwareDatetime = Field(description="on a 30-minute step, inside both members' availability")


class CancellationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    replan: bool = Field(default=True, description="plan a replacement for the module, moving later sessions")


class SessionOut(BaseModel):
    session_id: UUID
    sequence: int
    module: int
    starts_at: datetime
    duration_minutes: int
    status: SessionStatus
    completed_at: datetime | None
    actual_minutes: int | None
    modules_covered: list[int]
    cancel_reason: str | None
    group_key: str | None = Field(default=None, description="set on sessions of a group meeting (format group)")

    @classmethod
    def of(cls, s: Session) -> "SessionOut":
        return cls(**{k: v for k, v in vars(s).items() if k != "reminded"})


class CancellationOut(BaseModel):
    cancelled: SessionOut
    replacement: SessionOut | None = Field(description="the session now covering the module, when re-planned")


class PairSessionOut(SessionOut):
    pair_id: UUID
    programme_id: UUID
    country: str
    mentor_id: UUID
    mentee_id: UUID


class PendingOut(BaseModel):
    module: int
    local_date: date | None = Field(description="the mentee-local date the cadence gives it (none while "
                                    "nothing is placed)")
    reason: str


class PairScheduleOut(BaseModel):
    pair_id: UUID
    programme_id: UUID
    country: str
    mentor_id: UUID
    mentee_id: UUID
    status: str
    unschedulable_reason: str | None
    at_risk_since: datetime | None
    sessions: list[SessionOut]
    pending: list[PendingOut] = Field(default_factory=list, description="sessions not placed yet, retried until "
                                      "the programme's planning deadline")

    @classmethod
    def of(cls, p: PairSchedule) -> "PairScheduleOut":
        return cls(pair_id=p.pair_id, programme_id=p.programme_id, country=p.country,
                   mentor_id=p.mentor.participant_id, mentee_id=p.mentee.participant_id, status=p.status,
                   unschedulable_reason=p.unschedulable_reason, at_risk_since=p.at_risk_since,
                   sessions=[SessionOut.of(s) for s in sorted(p.sessions, key=lambda s: s.starts_at)],
                   pending=[PendingOut(module=x.module, local_date=date.fromordinal(x.ordinal) if x.ordinal else None,
                                       reason=x.reason) for x in p.pending])


def pair_session(p: PairSchedule, s: Session) -> PairSessionOut:
    return PairSessionOut(**SessionOut.of(s).model_dump(), pair_id=p.pair_id, programme_id=p.programme_id,
                          country=p.country, mentor_id=p.mentor.participant_id, mentee_id=p.mentee.participant_id)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int


class AgendaEntry(BaseModel):
    session_id: UUID
    owner_id: UUID = Field(description="the pair (or café) the session belongs to")
    starts_at: datetime
    ends_at: datetime


class TickOut(BaseModel):
    reminders: int
    at_risk: int
    closed: int
    placed: int = Field(default=0, description="pending sessions placed now")
    unschedulable: int = Field(default=0, description="pairs that reached their planning deadline with sessions "
                               "still pending")
