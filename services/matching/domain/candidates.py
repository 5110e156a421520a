"""Candidate generation for a round: couples that cannot be feasible are never listed or scored.

People are grouped into buckets (language set, country when the policy pairs within a country,
availability group). Whether two buckets can meet is decided once per bucket pair: their language
sets intersect, same country, and the availability seam's `table` (availability.py). The time
zone and availability terms of the score are computed there too, once per bucket pair. Only the
couples of compatible bucket pairs are listed (taker by taker); they are checked against their own
rules (`couples.py`), scored, and their values kept compactly (`feasible.py`: 2 + 2 bytes a couple), grouped by
taker, for the solver and its certificate (`exact.py`).
"""

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from matching.domain.codes import Codes
from matching.domain.couples import SATURATING_OVERLAP, SCALE, allowed, cross, learned, rule_masks
from matching.domain.feasible import Feasible
from matching.domain.programme import Policy
from matching.domain.roster import People

ROWS_PER_BLOCK = 2048  # takers per block (their compatible bucket pairs found at once)
LISTED_PER_CHUNK = 1 << 22  # couples listed at once within a block (bounds the transient arrays)
DENSE_AVAILABILITY_CELLS = 1 << 25  # above this, the availability table is computed per block


class Buckets:
    """The buckets of one side, members sorted so each bucket is a contiguous range of `rows`."""

    def __init__(self, p: People, rows: np.ndarray, policy: Policy) -> None:
        country = p.country[rows] if policy.same_country_only else np.zeros(len(rows), np.int64)
        columns = (p.language_set[rows], country, p.availability[rows])
        key = np.zeros(len(rows), np.int64)
        for column in columns:  # one integer per (language set, country, availability group)
            key = key * (int(column.max(initial=0)) + 1) + column
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        self.rows = rows[order]
        self.language_set, self.country, self.availability = (column[first] for column in columns)
        self.first = np.concatenate([[0], np.cumsum(np.bincount(inverse, minlength=len(first)))])
        self.size = np.diff(self.first)

    def __len__(self) -> int:
        return len(self.size)


class Generator:
    def __init__(self, p: People, codes: Codes, policy: Policy, takers: np.ndarray, givers: np.ndarray,
                 excluded: np.ndarray, rank: np.ndarray) -> None:
        self.p, self.codes, self.policy = p, codes, policy
        self.excluded = np.sort(excluded)  # giver_row * len(p) + taker_row: never proposed
        self.rank = rank  # a cross pair is listed once: the junior of two `both` participants gives
        self.t, self.g = Buckets(p, takers, policy), Buckets(p, givers, policy)
        self.languages = codes.language_sets.compatible()
        self.offsets = codes.availability.offsets
        self._keys_t, self._keys_g = np.unique(self.t.availability), np.unique(self.g.availability)
        dense = len(self._keys_t) * len(self._keys_g) <= DENSE_AVAILABILITY_CELLS
        self._table = codes.availability.table(self._keys_t, self._keys_g) if dense else None
        self.giver_position = np.zeros(len(p), np.int64)
        self.giver_position[self.g.rows] = np.arange(len(self.g.rows))

    def all(self) -> Feasible:
        """Every feasible couple, taker by taker (takers in bucket order)."""
        parts = []
        if len(self.t) and len(self.g):
            edges = np.unique(np.searchsorted(self.t.first, np.arange(0, len(self.t.rows), ROWS_PER_BLOCK)))
            for lo, hi in zip(edges, [*edges[1:], len(self.t)], strict=True):
                if hi > lo:
                    parts += self._block(int(lo), int(hi))
        counts = np.concatenate([x[0] for x in parts]) if parts else np.zeros(len(self.t.rows), np.int64)
        start = np.concatenate([[0], np.cumsum(counts)])
        giver = _joined(parts, 1, np.zeros(0, np.uint16))
        return Feasible(self.t.rows, self.g.rows, start, giver, _joined(parts, 2, np.zeros(0, np.int16)))

    def _pairs(self, lo: int, hi: int):
        """Compatible (taker bucket, giver bucket) pairs for taker buckets lo..hi, sorted by taker
        bucket, with the availability and time-zone terms of their score."""
        t, g = self.t, self.g
        ok = self.languages[t.language_set[lo:hi, None], g.language_set[None, :]]
        if self.policy.same_country_only:
            ok &= t.country[lo:hi, None] == g.country[None, :]
        ka = np.searchsorted(self._keys_t, t.availability[lo:hi])
        kb = np.searchsorted(self._keys_g, g.availability)
        if self._table is not None:
            meet, minutes = self._table
        else:
            used = np.unique(ka)
            meet, minutes = self.codes.availability.table(self._keys_t[used], self._keys_g)
            ka = np.searchsorted(used, ka)
        ok &= meet[ka[:, None], kb[None, :]]
        a, b = np.nonzero(ok)
        w = self.policy.normalised_weights()
        overlap = w["availability"] * np.minimum(minutes[ka[a], kb[b]] / SATURATING_OVERLAP, 1.0)
        hours = np.abs(self.offsets[t.availability[a + lo]] - self.offsets[g.availability[b]]) / 60.0
        zone = w["time_zone"] * (1.0 - np.minimum(hours, 12.0) / 12.0)
        return a + lo, b, overlap, zone

    def _block(self, lo: int, hi: int) -> list[tuple]:
        """(couples per taker, giver positions, values) for the takers of buckets lo..hi, listed in
        chunks of taker buckets of about LISTED_PER_CHUNK couples."""
        g = self.g
        a, b, overlap, zone = self._pairs(lo, hi)
        # Per taker bucket, its compatible givers (positions in g.rows) one after the other, with their pair.
        size_b = g.size[b]
        pair_of = np.repeat(np.arange(len(b), dtype=np.int32), size_b)
        listed = (np.repeat(g.first[b] - np.cumsum(size_b) + size_b, size_b) + np.arange(size_b.sum())).astype(np.int32)
        per_bucket = np.bincount(a - lo, weights=size_b, minlength=hi - lo).astype(np.int64)
        lists = _Lists(listed, pair_of, per_bucket, np.concatenate([[0], np.cumsum(per_bucket)]), overlap, zone)
        total = np.concatenate([[0], np.cumsum(per_bucket * self.t.size[lo:hi])])
        cuts = np.searchsorted(total, np.arange(1, -(-int(total[-1]) // LISTED_PER_CHUNK)) * LISTED_PER_CHUNK)
        cuts = np.unique(np.concatenate([[0], cuts, [hi - lo]]))
        return [self._chunk(lo, c0, c1, lists) for c0, c1 in pairwise(cuts.tolist())]

    def _chunk(self, lo: int, c0: int, c1: int, lists: "_Lists") -> tuple:
        """Every taker of buckets lo + c0 .. lo + c1 against its bucket's list: checked and scored."""
        p, t, g, n = self.p, self.t, self.g, len(self.p)
        rows_t = t.rows[t.first[lo + c0]:t.first[lo + c1]]
        bucket_of = np.repeat(np.arange(c0, c1), t.size[lo + c0:lo + c1])
        length = lists.per_bucket[bucket_of]
        index = np.repeat(lists.start[bucket_of] - np.cumsum(length) + length, length) + np.arange(length.sum())
        taker_local = np.repeat(np.arange(len(rows_t), dtype=np.int32), length)
        gi, pair = lists.listed[index], lists.pair_of[index]
        del index
        rt, rg = rows_t[taker_local], g.rows[gi]
        keep = np.ones(len(rt), bool)
        if p.both.any():  # not one's own counterpart; a cross pair listed once
            keep &= (rt != rg) & (~(p.both[rt] & p.both[rg]) | (self.rank[rg] < self.rank[rt]))
        if len(self.excluded):
            key = rg.astype(np.int64) * n + rt
            at = np.minimum(np.searchsorted(self.excluded, key), len(self.excluded) - 1)
            keep &= self.excluded[at] != key
        keep &= allowed(rule_masks(p, rt, rg, self.policy))
        rt, rg, gi, pair, taker_local = rt[keep], rg[keep], gi[keep], pair[keep], taker_local[keep]
        # Complementarity: one matrix product for the chunk, read at the kept couples.
        mark = np.zeros(len(g.rows), bool)
        mark[gi] = True
        column = (np.cumsum(mark) - 1).astype(np.int32)
        dot = (p.learn[rows_t] @ p.teach[g.rows[mark]].T)[taker_local, column[gi]]
        w = self.policy.normalised_weights()
        score = w["complementarity"] * learned(p, rt, rg, dot)  # then + overlap + zone: the order of couples.py
        score += lists.overlap[pair]
        score += lists.zone[pair]
        score *= SCALE
        value = (np.rint(score) + 1).astype(np.int16)
        width = np.uint16 if len(g.rows) <= np.iinfo(np.uint16).max else np.int32
        return np.bincount(taker_local, minlength=len(rows_t)), gi.astype(width), value


@dataclass
class _Lists:
    """A block's compatible givers per taker bucket: `listed[start[k]:start[k + 1]]` for bucket k."""

    listed: np.ndarray  # giver positions
    pair_of: np.ndarray  # each listed giver's bucket pair (into overlap and zone)
    per_bucket: np.ndarray
    start: np.ndarray
    overlap: np.ndarray
    zone: np.ndarray


def _joined(parts: list, k: int, empty: np.ndarray) -> np.ndarray:
    """Column k of the blocks joined, the blocks' copies dropped: joining the columns one at a time
    holds one column twice at most, not all of them."""
    if not parts:
        return empty
    out = np.concatenate([x[k] for x in parts])
    for i, x in enumerate(parts):
        parts[i] = (*x[:k], None, *x[k + 1:])
    return out


def both_sides(p: People, t: np.ndarray, g: np.ndarray) -> np.ndarray:
    return cross(p, t, g)
