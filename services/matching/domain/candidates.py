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

import numpy as np

from matching.domain import parallel
from matching.domain.codes import Codes
from matching.domain.couples import SATURATING_OVERLAP, SCALE, cross
from matching.domain.feasible import BIN_WIDTH, BINS, SAMPLE, Cuts, Feasible
from matching.domain.listing_kernel import bucket_lists, list_couples, skill_bits
from matching.domain.memory import Column, trim
from matching.domain.programme import Policy
from matching.domain.roster import People

ROWS_PER_BLOCK = 2048  # takers per block (their compatible bucket pairs found at once)
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
                 excluded: np.ndarray, rank: np.ndarray, top_k: int = 0) -> None:
        self.p, self.codes, self.policy = p, codes, policy
        self.top_k = top_k  # each taker's top_k-th best value is noted while listing (`Feasible.initial`)
        self.excluded = np.sort(excluded)  # giver_row * len(p) + taker_row: never proposed
        self.rank = rank  # a cross pair is listed once: the junior of two `both` participants gives
        self.t, self.g = Buckets(p, takers, policy), Buckets(p, givers, policy)
        self.languages = codes.language_sets.compatible()
        # giver buckets are sorted by language set: set L's are _language_start[L]:_language_start[L + 1]
        self._language_start = np.searchsorted(self.g.language_set, np.arange(len(self.languages) + 1))
        self.offsets = codes.availability.offsets
        self._keys_t, self._keys_g = np.unique(self.t.availability), np.unique(self.g.availability)
        # the table has a row per distinct UTC week, not per key (`distinct`: 4,284 keys, 1,906 weeks)
        (self._rep_t, self._of_t), (self._rep_g, self._of_g) = map(codes.availability.distinct,
                                                                   (self._keys_t, self._keys_g))
        dense = len(self._rep_t) * len(self._rep_g) <= DENSE_AVAILABILITY_CELLS
        self._table = codes.availability.table(self._rep_t, self._rep_g) if dense else None
        self._skills = skill_bits(p.learn, p.teach, p.wants)
        self._givers = tuple(np.ascontiguousarray(x[self.g.rows]) for x in (
            p.seniority, p.both, rank, p.manager, p.code, p.department, *self._skills, p.need))
        self.giver_position = np.zeros(len(p), np.int64)
        self.giver_position[self.g.rows] = np.arange(len(self.g.rows))

    def all(self) -> Feasible:
        """Every feasible couple, taker by taker (takers in bucket order). The lists of every block
        come first, so the columns are allocated once, at most the couples listed before the
        couple rules, and filled in place (untouched pages past the end are never resident). The
        blocks are listed by `parallel.THREADS` threads, each group of blocks from where its room
        starts, then moved down after the previous group: the same columns as one thread's."""
        blocks = []
        if len(self.t) and len(self.g):
            edges = np.unique(np.searchsorted(self.t.first, np.arange(0, len(self.t.rows), ROWS_PER_BLOCK)))
            spans = [(int(lo), int(hi)) for lo, hi in zip(edges, [*edges[1:], len(self.t)], strict=True) if hi > lo]
            tasks = [(self._lists, span) for span in spans]
            threads = self._table is not None and len(self.t) * len(self.g) >= parallel.PER_THREAD * parallel.THREADS
            blocks = list(zip([lo for lo, _ in spans], parallel.run(tasks) if threads else
                              [f(*args) for f, args in tasks], strict=True))
        rooms = np.array([int(lists.per_bucket @ self.t.size[lo:lo + len(lists.per_bucket)]) for lo, lists in blocks],
                         np.int64)
        width = np.uint16 if len(self.g.rows) <= np.iinfo(np.uint16).max else np.int32
        counts = np.zeros(len(self.t.rows), np.int64)
        columns = Column(int(rooms.sum()), width), Column(int(rooms.sum()), np.int16)
        giver, value = (column.array for column in columns)
        taker_cut = np.zeros(len(self.t.rows), np.int64)
        groups = parallel.split(np.concatenate([[0], np.cumsum(rooms)]), parallel.THREADS)
        offsets = np.concatenate([[0], np.cumsum([rooms[a:b].sum() for a, b in groups])]).astype(np.int64)
        giver_bins = [(np.zeros((len(self.g.rows), BINS), np.int32), np.zeros(len(self.g.rows), np.int64))
                      for _ in groups]
        ends = parallel.run([(self._list_blocks, (blocks, a, b, counts, giver, value, int(offsets[k]),
                                                  (taker_cut, *giver_bins[k])))
                             for k, (a, b) in enumerate(groups)])
        used = 0
        for k, end in enumerate(ends):
            # the two columns side by side (memory-bound copies: ~0.6 s one after the other at 279 M couples)
            parallel.run([(parallel.move_down, (column, int(offsets[k]), used, end - int(offsets[k])))
                          for column in ((giver, value) if offsets[k] > used else ())])
            used += end - int(offsets[k])
        per_giver = np.zeros((len(self.g.rows), BINS), np.int32), np.zeros(len(self.g.rows), np.int64)
        for part_bins, part_count in giver_bins:
            per_giver[0][:] += part_bins
            per_giver[1][:] += part_count
        cuts = Cuts(self.top_k, taker_cut, *per_giver)
        return Feasible(self.t.rows, self.g.rows, np.concatenate([[0], np.cumsum(counts)]), columns[0].keep(used),
                        columns[1].keep(used), cuts)

    def _list_blocks(self, blocks: list, a: int, b: int, counts, giver, value, used: int, bins: tuple) -> int:
        """Blocks a..b, each block's bucket lists let go once listed (~0.7 GB in all at 100,000 x
        10,000 on the cross generator)."""
        for k in range(a, b):
            (lo, lists), blocks[k] = blocks[k], None
            used = self._list(lo, lists, counts, giver, value, used, bins)
            del lists
            trim()
        return used

    def _lists(self, lo: int, hi: int) -> "_Lists":
        """Per taker bucket lo..hi, its compatible giver buckets (their givers are contiguous in
        g.rows) with each bucket pair's availability and time-zone terms (`bucket_lists`)."""
        t, g = self.t, self.g
        ka = self._of_t[np.searchsorted(self._keys_t, t.availability[lo:hi])]  # rows of the table
        kb = self._of_g[np.searchsorted(self._keys_g, g.availability)]
        if self._table is not None:
            meet, minutes = self._table
        else:
            used = np.unique(ka)
            meet, minutes = self.codes.availability.table(self._rep_t[used], self._rep_g)
            ka = np.searchsorted(used, ka)
        w = self.policy.normalised_weights()
        pair_bucket, pair_start, per_bucket, overlap, zone = bucket_lists(
            t.language_set[lo:hi], t.country[lo:hi], ka, self.offsets[t.availability[lo:hi]], g.language_set,
            g.country, kb, self.offsets[g.availability], g.first, g.size, self._language_start, self.languages,
            bool(self.policy.same_country_only), meet, minutes, float(w["availability"]), float(w["time_zone"]),
            float(SATURATING_OVERLAP))
        return _Lists(pair_bucket, pair_start, per_bucket, overlap, zone)

    def _list(self, lo: int, lists: "_Lists", counts, giver, value, used: int, bins: tuple) -> int:
        """Every taker of buckets lo.. against its bucket's list, checked and scored
        (`listing_kernel.py`, the rules and score of `couples.py` in one compiled loop), written
        from `used` on; returns the new end."""
        p, t, g = self.p, self.t, self.g
        hi = lo + len(lists.per_bucket)
        first, end = t.first[lo], t.first[hi]
        bucket_of = np.repeat(np.arange(hi - lo), t.size[lo:hi])
        w = self.policy.normalised_weights()
        return list_couples(
            t.rows[first:end], bucket_of, lists.pair_start, lists.pair_bucket, g.first, g.size, g.rows, p.seniority,
            p.both, self.rank, p.manager, p.code, p.department, *self._skills, p.need, self._givers, self.excluded,
            len(p), bool(p.both.any()), bool(self.policy.exclude_reporting_line),
            bool(self.policy.exclude_same_department), float(w["complementarity"]), lists.overlap, lists.zone,
            float(SCALE), counts[first:end], giver, value, used, self.top_k, bins[0][first:end], SAMPLE, BIN_WIDTH,
            bins[1], bins[2])


@dataclass
class _Lists:
    """A block's compatible giver buckets per taker bucket: pairs pair_start[k]:pair_start[k + 1] of
    bucket k, each a giver bucket (`pair_bucket`) with its availability and time-zone terms."""

    pair_bucket: np.ndarray
    pair_start: np.ndarray
    per_bucket: np.ndarray  # givers listed per taker bucket
    overlap: np.ndarray
    zone: np.ndarray


def both_sides(p: People, t: np.ndarray, g: np.ndarray) -> np.ndarray:
    return cross(p, t, g)
