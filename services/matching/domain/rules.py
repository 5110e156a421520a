"""The hard rules, for one couple or for one person against many, in the order reasons are given:
the group rules (language, country, availability) then the couple's own (couples.py)."""

import numpy as np

from matching.domain.couples import COUPLE_REASONS, GROUP_REASONS, rule_masks
from matching.domain.pool import Pool

RULES = GROUP_REASONS + COUPLE_REASONS


def group_masks(pool: Pool, t: np.ndarray, g: np.ndarray) -> list[tuple[str, np.ndarray | None]]:
    """(reason, allowed) of the group rules for couples (takers t, givers g) of a pool's rows."""
    p, codes, policy = pool.roster.people, pool.codes, pool.policy
    language = codes.language_sets.compatible()[p.language_set[t], p.language_set[g]]
    country = p.country[t] == p.country[g] if policy.same_country_only else None
    keys_t, it = np.unique(p.availability[t], return_inverse=True)
    keys_g, ig = np.unique(p.availability[g], return_inverse=True)
    meet, _ = codes.availability.table(keys_t, keys_g)
    return [(GROUP_REASONS[0], language), (GROUP_REASONS[1], country), (GROUP_REASONS[2], meet[it, ig])]


def broken_rules(pool: Pool, mentor: int, mentee: int) -> list[str]:
    """Every hard rule the couple (pool rows: mentor gives, mentee takes) breaks, in order."""
    t, g = np.array([mentee]), np.array([mentor])
    masks = group_masks(pool, t, g) + rule_masks(pool.roster.people, t, g, pool.policy)
    return [reason for reason, mask in masks if mask is not None and not mask[0]]
