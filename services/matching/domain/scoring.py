"""Hard rules and the explained score for a block of mentees against every mentor, as arrays.

Sums over topics and over the UTC week are matrix products, so a 10,000 x 1,000 programme is
scored in a few BLAS calls instead of ten million Python comparisons.
"""

from dataclasses import dataclass

import numpy as np

from matching.domain.availability import RESOLUTION
from matching.domain.programme import Policy
from matching.domain.series_rule import series_mask
from matching.domain.sides import Side

SATURATING_OVERLAP = 240  # minutes of shared weekly time beyond which availability scores 1
SCALE = 1000  # integer utility per unit of score (the flow solver works in integers)

# Checked in this order; the first rule that leaves a participant without counterparts is its reason.
REASONS = ("no_shared_language", "no_counterpart_in_same_country", "no_junior_mentor_or_cross_complement",
           "only_same_reporting_line", "only_same_department", "no_availability_overlap")


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b.T as float32 (week rows are bool until compacted)."""
    return a.astype(np.float32, copy=False) @ b.astype(np.float32, copy=False).T


def rule_masks(e: Side, m: Side, rows: slice, policy: Policy) -> list[tuple[str, np.ndarray | None]]:
    """One (reason, allowed) per hard rule; None when the programme does not apply the rule."""
    ec = lambda a: a[rows, None]  # noqa: E731 - mentee column against the mentor row
    reverse_or_cross = m.seniority[None, :] < ec(e.seniority)
    if e.both[rows].any() and m.both.any():  # cross pairs: each side teaches something the other wishes
        teaches_both = ((e.wants[rows] @ m.teach.T) > 0) & ((e.teach[rows] @ m.wants.T) > 0)
        reverse_or_cross = np.where(ec(e.both) & m.both[None, :], teaches_both, reverse_or_cross)
    reporting = None
    if policy.exclude_reporting_line:
        reporting = (ec(e.manager) != m.code[None, :]) & (m.manager[None, :] != ec(e.code))
    department = None
    if policy.exclude_same_department:
        department = (ec(e.department) < 0) | (ec(e.department) != m.department[None, :])
    return [
        ("no_shared_language", (ec(e.language_mask) & m.language_mask[None, :]) != 0),
        ("no_counterpart_in_same_country", ec(e.country) == m.country[None, :] if policy.same_country_only else None),
        ("no_junior_mentor_or_cross_complement", reverse_or_cross),
        ("only_same_reporting_line", reporting),
        ("only_same_department", department),
        ("no_availability_overlap", _availability(e, m, rows, policy)),
    ]


def _availability(e: Side, m: Side, rows: slice, policy: Policy) -> np.ndarray:
    """A whole series fits both over the programme's dates (the model scheduling plans with); before
    the programme's launch event is known, a common weekly window long enough for a session."""
    if policy.calendar is None:
        return _dot(e.fits[rows], m.fits) > 0
    return series_mask(e.avail, m.avail, rows, policy.calendar)


def feasible(masks: list[tuple[str, np.ndarray | None]]) -> np.ndarray:
    out = None
    for _, mask in masks:
        if mask is not None:
            out = mask if out is None else out & mask
    assert out is not None
    return out


@dataclass
class Criteria:
    complementarity: np.ndarray
    availability: np.ndarray
    time_zone: np.ndarray

    def score(self, policy: Policy) -> np.ndarray:
        w = {k: np.float32(v) for k, v in policy.normalised_weights().items()}
        return (w["complementarity"] * self.complementarity + w["availability"] * self.availability
                + w["time_zone"] * self.time_zone)

    def breakdown(self, policy: Policy, i: int, j: int) -> dict[str, float]:
        w = policy.normalised_weights()
        return {name: round(w[name] * float(getattr(self, name)[i, j]), 4) for name in w}


def criteria(e: Side, m: Side, rows: slice) -> Criteria:
    learned = (e.learn[rows] @ m.teach.T) / np.maximum(e.learn_total[rows, None], np.float32(1))
    cross = e.both[rows, None] & m.both[None, :]
    if cross.any():
        taught = (m.learn @ e.teach[rows].T).T / np.maximum(m.learn_total[None, :], np.float32(1))
        learned = np.where(cross, (learned + taught) / 2, learned)
    overlap = _dot(e.bits[rows], m.bits) * np.float32(RESOLUTION / SATURATING_OVERLAP)
    hours = np.abs(e.offset[rows, None] - m.offset[None, :]) * np.float32(1 / 60)
    return Criteria(
        complementarity=learned,
        availability=np.minimum(overlap, np.float32(1)),
        time_zone=np.float32(1) - np.minimum(hours, np.float32(12)) * np.float32(1 / 12),
    )


def criteria_at(e: Side, m: Side, i: np.ndarray, j: np.ndarray) -> Criteria:
    """The same criteria for listed couples only (mentee rows i, mentor rows j)."""
    learned = np.einsum("kt,kt->k", e.learn[i], m.teach[j]) / np.maximum(e.learn_total[i], 1.0)
    cross = e.both[i] & m.both[j]
    if cross.any():
        taught = np.einsum("kt,kt->k", m.learn[j], e.teach[i]) / np.maximum(m.learn_total[j], 1.0)
        learned = np.where(cross, (learned + taught) / 2, learned)
    overlap = np.einsum("kt,kt->k", e.bits[i].astype(np.float32), m.bits[j].astype(np.float32)) * RESOLUTION
    distance = np.abs(e.offset[i] - m.offset[j]) / 60.0
    return Criteria(learned.astype(np.float32), np.minimum(overlap / SATURATING_OVERLAP, 1.0).astype(np.float32),
                    (1.0 - np.minimum(distance, 12.0) / 12.0).astype(np.float32))


def utility(score: np.ndarray) -> np.ndarray:
    """Integer value of a feasible pair: at least 1, so pairing someone always beats leaving them out."""
    return np.rint(score * SCALE).astype(np.int64) + 1
