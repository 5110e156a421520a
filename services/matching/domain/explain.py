"""What a proposal says about itself, and why a participant stayed unmatched."""

import numpy as np

from matching.domain.model import Candidate, Proposal
from matching.domain.programme import Policy
from matching.domain.scoring import Criteria, rule_masks
from matching.domain.sides import Side


def shared_language(mentor: Candidate, mentee: Candidate) -> str:
    return next((lang for lang in mentee.languages if lang in mentor.languages), mentee.languages[0])


def learning_directions(mentor: Candidate, mentee: Candidate) -> dict[str, str]:
    """Topic -> who teaches it: what the mentee wishes and the mentor knows better (and, for a
    cross pair, the other way round)."""
    mine = {s.topic: s for s in mentor.skills}
    theirs = {s.topic: s for s in mentee.skills}
    directions = {}
    for topic, wanted in theirs.items():
        if wanted.wish > 0 and topic in mine and mine[topic].proficiency > wanted.proficiency:
            directions[topic] = "mentor_teaches"
    if mentor.role == "both" and mentee.role == "both":
        for topic, wanted in mine.items():
            if wanted.wish > 0 and topic in theirs and theirs[topic].proficiency > wanted.proficiency:
                directions.setdefault(topic, "mentee_teaches")
    return dict(sorted(directions.items()))


def proposal(mentor: Candidate, mentee: Candidate, crit: Criteria, i: int, j: int, policy: Policy,
             pinned: bool = False) -> Proposal:
    breakdown = crit.breakdown(policy, i, j)
    return Proposal(mentor.participant_id, mentee.participant_id, shared_language(mentor, mentee),
                    round(sum(breakdown.values()), 4), breakdown, learning_directions(mentor, mentee), pinned)


def reason_unmatched(e: Side, m: Side, policy: Policy, excluded: tuple[np.ndarray, np.ndarray],
                     axis: int) -> list[str]:
    """The first hard rule that leaves each row (axis=1: mentees) or column (axis=0: mentors)
    without any counterpart; else the couples left were excluded, or their seats were taken."""
    size = len(e) if axis == 1 else len(m)
    if len(e) == 0 or len(m) == 0:
        return ["no_counterpart_in_programme"] * size
    reasons: list[str | None] = [None] * size
    allowed = np.ones((len(e), len(m)), dtype=bool)
    for reason, mask in rule_masks(e, m, slice(0, len(e)), policy):
        if mask is None:
            continue
        allowed &= mask
        for k in np.flatnonzero(~allowed.any(axis=axis)):
            reasons[k] = reasons[k] or reason
    allowed[excluded[0], excluded[1]] = False
    for k in np.flatnonzero(~allowed.any(axis=axis)):
        reasons[k] = reasons[k] or "only_dissolved_or_forbidden_pairs"
    return [r or "no_capacity_left" for r in reasons]
