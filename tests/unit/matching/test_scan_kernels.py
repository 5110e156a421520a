"""The certificate's compiled scans (`scan_kernels.py`) against plain Python on random data with
many ties: which couples may enter, each owner's lowest slacks (ties by position), the counts."""

import random

import numpy as np

from matching.domain.scan_kernels import entering, first_cuts, lowest_per_owner, per_giver


def lowest(owner, slack, limit):
    kept = []
    for o in set(owner):
        mine = sorted((s, k) for k, (w, s) in enumerate(zip(owner, slack, strict=True)) if w == o)
        kept += [k for _, k in mine[: limit[o]]]
    return sorted(kept)


def test_each_owner_keeps_its_lowest_slacks_ties_by_position():
    rng = random.Random(2)
    for _ in range(30):
        owners = rng.randint(1, 6)
        owner = [rng.randrange(owners) for _ in range(rng.randint(0, 60))]
        slack = [rng.randint(-3, 3) for _ in owner]
        limit = [rng.randint(1, 8) for _ in range(owners)]
        got = lowest_per_owner(np.array(owner, np.int64), np.array(slack, np.int64), np.array(limit, np.int64), owners)
        assert got.tolist() == lowest(owner, slack, limit)


def test_entering_couples_are_the_absent_ones_below_the_threshold_lowest_first():
    rng = random.Random(4)
    for _ in range(30):
        takers, givers = rng.randint(1, 5), rng.randint(1, 4)
        counts = [rng.randint(0, 12) for _ in range(takers)]
        start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        giver = np.array([rng.randrange(givers) for _ in range(start[-1])], np.uint16)
        value = np.array([rng.randint(1, 9) for _ in range(start[-1])], np.int16)
        inside = np.array([rng.random() < 0.2 for _ in range(start[-1])], bool)
        q_t = np.array([rng.randint(0, 6) for _ in range(takers)], np.int64)
        q_g = np.array([rng.randint(0, 6) for _ in range(givers)], np.int64)
        index, taker, slack, improving = entering(start, giver, value, q_t, q_g, 1, 2, np.flatnonzero(inside), 3, -1)
        owner, slacks, positions = [], [], []
        for i in range(takers):
            for j in range(start[i], start[i + 1]):
                s = int(q_t[i] + q_g[giver[j]] - value[j])
                if s < 2 and not inside[j]:
                    owner.append(i)
                    slacks.append(s)
                    positions.append(j)
        chosen = lowest(owner, slacks, [3] * takers)
        assert index.tolist() == [positions[k] for k in chosen]
        assert taker.tolist() == [owner[k] for k in chosen] and slack.tolist() == [slacks[k] for k in chosen]
        assert improving == any(s < -1 for s in slacks)


def test_counts_per_giver_and_the_first_networks_cuts():
    start = np.array([0, 3, 3, 5], np.int64)
    giver = np.array([1, 0, 1, 2, 1], np.uint16)
    value = np.array([1, 15, 16, 40, 47], np.int16)
    rows = np.array([4, 7, 2], np.int64)  # round rows: with a sample of 2, takers 0 and 2 are counted
    assert per_giver(giver, 3).tolist() == [1, 3, 1]
    taker_cut, giver_bins, giver_count = first_cuts(start, giver, value, rows, 2, 2, 16, 3, 3)
    assert taker_cut.tolist() == [15, 0, 40]  # the 2nd best value; 0 for a taker with fewer couples
    assert giver_bins.tolist() == [[1, 0, 0], [1, 1, 1], [0, 0, 1]]
    assert giver_count.tolist() == [1, 3, 1]
    taker_cut, giver_bins, _ = first_cuts(start, giver, value, rows + 1, 0, 2, 16, 3, 3)
    assert taker_cut.tolist() == [0, 0, 0] and not giver_bins.any()  # top_k 0: every couple; no taker sampled
