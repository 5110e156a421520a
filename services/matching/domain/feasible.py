"""Every feasible couple of a round, kept compactly (2 + 2 bytes a couple) and grouped by taker
(`candidates.py` lists them), with the block-wise scans the solver and its certificate use."""

from dataclasses import dataclass

import numpy as np

from matching.domain.couples import SCALE
from matching.domain.parallel import at_or_above_all
from matching.domain.scan_kernels import first_cuts, lowest_per_owner, per_giver

SCAN_BLOCK = 1 << 22  # stored couples per vectorised pass
BINS = 64  # value histogram bins for the first network's giver thresholds
BIN_WIDTH = -(-(SCALE + 2) // BINS)
SAMPLE = 8  # a giver's histogram counts its couples with one taker in SAMPLE (by round row)


@dataclass
class Cuts:
    """Counted while listing (`listing_kernel.py`) for the first network."""

    top_k: int
    taker: np.ndarray  # value of each taker's top_k-th best couple (0: it has fewer)
    giver_bins: np.ndarray  # per (giver, value bin): its couples with the sampled takers
    giver_count: np.ndarray  # per giver: its couples


@dataclass
class Feasible:
    """Every feasible couple, grouped by taker: `giver[start[i]:start[i + 1]]` are taker i's givers
    (positions in `givers`) and `value` their integer utilities."""

    takers: np.ndarray  # round rows of the people who may be mentored
    givers: np.ndarray  # round rows of the people who may mentor
    start: np.ndarray
    giver: np.ndarray
    value: np.ndarray
    cuts: Cuts | None = None

    def blocks(self, size: int = SCAN_BLOCK):
        """Contiguous slices of takers: (first taker, end taker, first couple, end couple)."""
        a, n = 0, len(self.takers)
        while a < n:
            b = min(n, max(a + 1, int(np.searchsorted(self.start, self.start[a] + size, side="right")) - 1))
            yield a, b, int(self.start[a]), int(self.start[b])
            a = b

    def per_couple(self, per_taker: np.ndarray, a: int, b: int) -> np.ndarray:
        """A per-taker array repeated over the couples of takers a..b."""
        return np.repeat(per_taker[a:b], np.diff(self.start[a:b + 1]))

    def giver_counts(self) -> np.ndarray:
        """Stored couples per giver (counted by the listing: no scan of the stored couples)."""
        if self.cuts is not None:
            return self.cuts.giver_count
        return per_giver(self.giver, len(self.givers))

    def taker_of(self, index: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.start, index, side="right") - 1

    def initial(self, top_k: int, extra: int, capacity: np.ndarray) -> np.ndarray:
        """The couples the solver starts from (positions, ascending): each taker's `top_k` best and
        each giver's best (capacity + `extra`) takers of those at or above its cut bin (found from a
        sample of its takers), so a popular mentor's price shows in the first solve."""
        if self.cuts is None or self.cuts.top_k != top_k:
            self.cuts = Cuts(top_k, *first_cuts(self.start, self.giver, self.value, self.takers, top_k, SAMPLE,
                                                 BIN_WIDTH, len(self.givers), BINS))
        wanted = capacity[self.givers] + extra
        giver_cut = _threshold(self.cuts.giver_bins, -(-wanted // SAMPLE))
        picked = at_or_above_all(self.start, self.giver, self.value, BIN_WIDTH, self.cuts.taker, giver_cut)
        value, taker = self.value[picked].astype(np.int64), self.taker_of(picked)
        mine = value >= self.cuts.taker[taker]
        # ties at a taker's cut and a giver's cut bin (hundreds of takers) would double the network:
        # exactly each taker's `top_k` best and each giver's best `wanted` of those its bin let in
        ours = lowest_per_owner(taker[mine], -value[mine], np.full(len(self.takers), top_k, np.int64),
                                len(self.takers))
        theirs = lowest_per_owner(self.giver[picked[~mine]].astype(np.int64), -value[~mine],
                                  wanted.astype(np.int64), len(self.givers))
        return np.sort(np.concatenate([picked[mine][ours], picked[~mine][theirs]]))


def _threshold(histogram: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Per row, the highest bin b such that at least `wanted` entries are in bins >= b (0: all)."""
    at_least = np.cumsum(histogram[:, ::-1], axis=1)[:, ::-1]
    return np.maximum((at_least >= wanted[:, None]).sum(axis=1) - 1, 0)
