from dataclasses import dataclass
from uuid import UUID

from matching.domain.model import Candidate


@dataclass(frozen=True)
class AddCandidate:
    candidate: Candidate
    correlation_id: UUID
    causation_id: UUID
