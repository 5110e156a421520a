"""Whether an existing pair still meets the hard rules after a member's data changed."""

from matching.domain.model import Candidate, Pair
from matching.domain.programme import Policy
from matching.domain.scoring import rule_masks
from matching.domain.sides import Vocabulary, build_side


def broken_rule(policy: Policy, mentor: Candidate, mentee: Candidate) -> str | None:
    """The first hard rule the couple no longer meets (language, reporting line, availability, …)."""
    vocab = Vocabulary.of([mentor, mentee])
    e, m = build_side([mentee], [1], vocab, policy), build_side([mentor], [1], vocab, policy)
    for reason, mask in rule_masks(e, m, slice(0, 1), policy):
        if mask is not None and not bool(mask[0, 0]):
            return reason
    return None


def revise(stored: Candidate, newer: Candidate) -> bool:
    """Takes the enrollment data of `newer` into the stored candidate; False when nothing changed."""
    fields = ("role", "country", "languages", "time_zone", "seniority_level", "availability", "department",
              "manager_id", "skills", "must_match", "region")
    changed = [f for f in fields if getattr(stored, f) != getattr(newer, f)]
    for f in changed:
        setattr(stored, f, getattr(newer, f))
    return bool(changed)


def pairs_of(pairs: list[Pair], participant_id) -> list[Pair]:
    return [p for p in pairs if p.active and participant_id in p.members()]
