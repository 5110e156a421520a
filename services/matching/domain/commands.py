from dataclasses import dataclass
from typing import Literal
from uuid import UUID

from matching.domain.model import Candidate
from matching.domain.programme import Mode, Policy


@dataclass(frozen=True)
class RecordProgramme:
    programme_id: UUID
    policy: Policy


@dataclass(frozen=True)
class AddCandidate:
    candidate: Candidate
    correlation_id: UUID
    causation_id: UUID
    erased: bool | None = None  # the person's tombstone, when the caller read it already (beside the key)


@dataclass(frozen=True)
class AddCandidates:
    """Consecutive enrollments of one programme, decided together."""

    programme_id: UUID
    commands: list[AddCandidate]


@dataclass(frozen=True)
class Withdraw:
    participant_id: UUID
    programme_id: UUID
    correlation_id: UUID
    causation_id: UUID


@dataclass(frozen=True)
class PreviewRound:
    programme_id: UUID


@dataclass(frozen=True)
class DecideRound:
    programme_id: UUID
    round_id: UUID
    correlation_id: UUID
    decision: Literal["publish", "discard"] = "publish"


@dataclass(frozen=True)
class SetMode:
    programme_id: UUID
    mode: Mode


@dataclass(frozen=True)
class SetPairRule:
    programme_id: UUID
    mentor_id: UUID
    mentee_id: UUID
    kind: Literal["pinned", "forbidden"]
    override_by: str | None = None  # who decides to pin a couple that breaks hard rules
    override_reason: str | None = None  # and why


@dataclass(frozen=True)
class EraseParticipant:
    participant_id: UUID
    programme_id: UUID
    erasure_id: UUID
