"""What matching's HTTP API reads and returns."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class OverrideOut(BaseModel):
    by: str
    reason: str
    rules: list[str] = Field(description="the hard rules the couple breaks")


class PairOut(BaseModel):
    pair_id: UUID
    programme_id: UUID
    mentor_id: UUID
    mentee_id: UUID
    country: str
    language: str
    score: float
    score_breakdown: dict[str, float]
    learning_directions: dict[str, str]
    status: Literal["active", "dissolved"]
    override: OverrideOut | None = None


class PairPage(BaseModel):
    items: list[PairOut]
    total: int
    offset: int
    limit: int


class ProposalOut(BaseModel):
    mentor_id: UUID
    mentee_id: UUID
    language: str
    score: float
    score_breakdown: dict[str, float]
    learning_directions: dict[str, str]
    pinned: bool
    override: OverrideOut | None = None


class UnmatchedOut(BaseModel):
    participant_id: UUID
    reason: str


class RoundOut(BaseModel):
    round_id: UUID
    programme_id: UUID
    status: Literal["preview", "published", "discarded"]
    objective: int
    must_matched: int
    published_pairs: int
    proposals_total: int
    unmatched_total: int
    proposals: list[ProposalOut]  # this page (offset/limit)
    unmatched: list[UnmatchedOut]  # this page (offset/limit)
    offset: int
    limit: int


class RoundDecisionIn(BaseModel):
    decision: Literal["publish", "discard"] = "publish"


class ModeIn(BaseModel):
    mode: Literal["continuous", "rounds"]


class OverrideIn(BaseModel):
    by: str = Field(min_length=1, max_length=200, description="who decides (a name or an account)")
    reason: str = Field(min_length=1, max_length=2000, description="why the couple should meet anyway")


class PairRuleIn(BaseModel):
    mentor_id: UUID
    mentee_id: UUID
    kind: Literal["pinned", "forbidden"]
    override: OverrideIn | None = Field(
        default=None, description="required to pin a couple that breaks hard rules (language, country, "
                                  "availability, junior mentor or cross complement, reporting line, department); "
                                  "recorded with the rules it overrides and shown in the pair's explanation")


class PairRuleOut(BaseModel):
    mentor_id: UUID
    mentee_id: UUID
    kind: Literal["pinned", "forbidden"]
    override: OverrideOut | None = None


class ProgrammeOut(BaseModel):
    programme_id: UUID
    launched: bool
    mode: Literal["continuous", "rounds"]
    mentor_capacity: int
    pending_round_id: UUID | None
    pair_rules: list[PairRuleOut]
