"""Hard rules that depend on the couple itself, and the explained score, for lists of couples.

Couples are index arrays (takers `t`, givers `g`) into one `People`; the rules decided per group
(language, country, availability) are applied before, by whoever lists the couples. Scores are
computed in float64 in a fixed order, so the same couple always gets the same integer utility.
"""

from dataclasses import dataclass

import numpy as np

from matching.domain.programme import Policy
from matching.domain.roster import People

SATURATING_OVERLAP = 240  # minutes of shared weekly time beyond which availability scores 1
SCALE = 1000  # integer utility per unit of score (the flow solver works in integers)

# Group rules first (they decide which couples are listed at all), then the couple's own rules.
GROUP_REASONS = ("no_shared_language", "no_counterpart_in_same_country", "no_availability_overlap")
COUPLE_REASONS = ("no_junior_mentor_or_cross_complement", "only_same_reporting_line", "only_same_department")


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("kt,kt->k", a, b, dtype=np.float32)


def cross(p: People, t: np.ndarray, g: np.ndarray) -> np.ndarray:
    if not p.both.any():  # most programmes: no gathers over every couple
        return np.zeros(len(t), bool)
    return p.both[t] & p.both[g]


def rule_masks(p: People, t: np.ndarray, g: np.ndarray, policy: Policy) -> list[tuple[str, np.ndarray | None]]:
    """(reason, allowed) per couple rule, in order; None when the programme does not apply it."""
    junior = p.seniority[g] < p.seniority[t]
    both = cross(p, t, g)
    if both.any():  # two `both` participants: each must teach a topic the other wishes
        k = np.flatnonzero(both)
        tk, gk = t[k], g[k]
        junior = junior.copy()
        junior[k] = (_dot(p.wants[tk], p.teach[gk]) > 0) & (_dot(p.teach[tk], p.wants[gk]) > 0)
    reporting = None
    if policy.exclude_reporting_line:
        # Neither is the other's manager, and they do not report to the same manager.
        reporting = (p.manager[t] != p.code[g]) & (p.manager[g] != p.code[t]) & \
            ((p.manager[t] < 0) | (p.manager[t] != p.manager[g]))
    department = None
    if policy.exclude_same_department:
        department = (p.department[t] < 0) | (p.department[t] != p.department[g])
    return [(COUPLE_REASONS[0], junior), (COUPLE_REASONS[1], reporting), (COUPLE_REASONS[2], department)]


def allowed(masks: list[tuple[str, np.ndarray | None]]) -> np.ndarray:
    out = masks[0][1]
    for _, mask in masks[1:]:
        if mask is not None:
            out = out & mask
    return out


@dataclass
class Criteria:
    complementarity: np.ndarray
    availability: np.ndarray
    time_zone: np.ndarray

    def score(self, policy: Policy) -> np.ndarray:
        w = policy.normalised_weights()
        return w["complementarity"] * self.complementarity + w["availability"] * self.availability \
            + w["time_zone"] * self.time_zone

    def breakdown(self, policy: Policy, k: int) -> dict[str, float]:
        w = policy.normalised_weights()
        return {name: round(w[name] * float(getattr(self, name)[k]), 4) for name in w}

    def parts(self, policy: Policy) -> dict[str, list[float]]:
        """Each weighted criterion for every couple (the breakdown before rounding), as floats."""
        w = policy.normalised_weights()
        return {name: (w[name] * getattr(self, name).astype(np.float64)).tolist() for name in w}


def learned(p: People, t: np.ndarray, g: np.ndarray, dot: np.ndarray | None = None) -> np.ndarray:
    """Complementarity: the share of what the taker wants to learn that the giver can teach; for a
    cross pair the mean of both directions. `dot` (learn[t] . teach[g]) may come precomputed."""
    dot = _dot(p.learn[t], p.teach[g]) if dot is None else dot
    out = dot.astype(np.float64) / np.maximum(p.need[t], 1.0)
    both = cross(p, t, g)
    if both.any():
        k = np.flatnonzero(both)
        taught = _dot(p.learn[g[k]], p.teach[t[k]]).astype(np.float64) / np.maximum(p.need[g[k]], 1.0)
        out[k] = (out[k] + taught) / 2
    return out


def criteria(p: People, t: np.ndarray, g: np.ndarray, overlap_minutes: np.ndarray, offset_t: np.ndarray,
             offset_g: np.ndarray) -> Criteria:
    hours = np.abs(offset_t - offset_g) / 60.0
    return Criteria(learned(p, t, g), np.minimum(overlap_minutes / SATURATING_OVERLAP, 1.0),
                    1.0 - np.minimum(hours, 12.0) / 12.0)


def utility(score: np.ndarray) -> np.ndarray:
    """Integer value of a feasible pair: at least 1, so pairing someone always beats leaving them out."""
    return np.rint(score * SCALE).astype(np.int64) + 1


def must_match_bonus(people: int) -> int:
    """Worth more than any total utility, so covering one more must-match participant always wins."""
    return (SCALE + 2) * (people + 1) * 2  # even: the doubled network gives half of it to each copy
