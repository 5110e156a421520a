"""Whether an existing pair still meets the hard rules after a member's data changed."""

from dataclasses import replace

from matching.domain.model import Candidate, Pair
from matching.domain.pool import Pool
from matching.domain.rules import broken_rules

FIELDS = ("role", "country", "languages", "time_zone", "seniority_level", "availability", "department",
          "manager_id", "skills", "must_match", "region")


def broken_rule(pool: Pool, pair: Pair) -> str | None:
    """The first hard rule the couple no longer meets (language, reporting line, availability, …)."""
    rows = pool.roster.row_of
    broken = broken_rules(pool, rows[pair.mentor_id], rows[pair.mentee_id])
    return broken[0] if broken else None


def revised(stored: Candidate, newer: Candidate) -> Candidate | None:
    """The stored candidate with the enrollment data of `newer`; None when nothing changed."""
    changed = {f: getattr(newer, f) for f in FIELDS if getattr(stored, f) != getattr(newer, f)}
    return replace(stored, **changed) if changed else None
