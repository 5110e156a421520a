"""Every feasible couple of a round, kept compactly (2 + 2 bytes a couple) and grouped by taker
(`candidates.py` lists them), with the block-wise scans the solver and its certificate use."""

from dataclasses import dataclass

import numpy as np

from matching.domain.couples import SCALE
from matching.domain.parallel import at_or_above_all
from matching.domain.scan_kernels import per_giver, value_histograms

SCAN_BLOCK = 1 << 22  # stored couples per vectorised pass
BINS = 64  # value histogram bins for the first network's thresholds
BIN_WIDTH = -(-(SCALE + 2) // BINS)


@dataclass
class Feasible:
    """Every feasible couple, grouped by taker: `giver[start[i]:start[i + 1]]` are taker i's givers
    (positions in `givers`) and `value` their integer utilities."""

    takers: np.ndarray  # round rows of the people who may be mentored
    givers: np.ndarray  # round rows of the people who may mentor
    start: np.ndarray
    giver: np.ndarray
    value: np.ndarray
    bins: tuple[np.ndarray, np.ndarray] | None = None  # couples per (taker, value bin), (giver, value bin)

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
        """Stored couples per giver (the sum of its value histogram when the listing counted one:
        every stored couple is in exactly one bin; no scan of the stored couples)."""
        if self.bins is not None:
            return self.bins[1].sum(axis=1, dtype=np.int64)
        return per_giver(self.giver, len(self.givers))

    def taker_of(self, index: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.start, index, side="right") - 1

    def initial(self, top_k: int, extra: int, capacity: np.ndarray) -> np.ndarray:
        """The couples the solver starts from (positions, ascending): about each taker's `top_k`
        best, and each giver's best (capacity + `extra`) takers, so a popular mentor's price shows
        in the first solve (by value bins: ties at a cut come too)."""
        if self.bins is None:
            self.bins = value_histograms(self.start, self.giver, self.value, BIN_WIDTH, len(self.givers), BINS)
        per_taker, per_giver = self.bins
        giver_cut = _threshold(per_giver, capacity[self.givers] + extra)
        taker_cut = _threshold(per_taker, np.full(len(self.takers), top_k))
        return at_or_above_all(self.start, self.giver, self.value, BIN_WIDTH, taker_cut, giver_cut)


def _threshold(histogram: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Per row, the highest bin b such that at least `wanted` entries are in bins >= b (0: all)."""
    at_least = np.cumsum(histogram[:, ::-1], axis=1)[:, ::-1]
    return np.maximum((at_least >= wanted[:, None]).sum(axis=1) - 1, 0)
