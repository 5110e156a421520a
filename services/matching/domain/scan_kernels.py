"""Compiled scans over the stored feasible couples (numba, like `listing_kernel.py`): the
certificate's search for couples that could improve the result, the selection of each taker's and
each mentor's most improving ones, and the cuts behind the first network. Each is a
single pass over the 2 + 2 bytes a couple; numpy's versions built 8-byte index arrays per couple."""

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def entering(start, giver, value, q_t, q_g, factor, threshold, inside, per_taker, base):
    """The certificate's scan over every stored couple: of those absent from the network (`inside`:
    the network's couples, positions ascending) whose slack q_t + q_g - factor x value is below
    `threshold` (priced in, or close to it), each taker's `per_taker` lowest (equal slacks: the
    lower position first). Returns (positions ascending, their takers, their slacks, whether any
    entering couple's slack is below `base`).

    A taker's lowest are kept in a heap of `per_taker` (the worst on top) as its couples go by: on
    the first pass most of a taker's thousands of couples price in, and listing them all to pick
    32 cost three times the scan itself."""
    takers = len(start) - 1
    longest = 0
    for i in range(takers):
        longest = max(longest, start[i + 1] - start[i])
    room = min(len(value), takers * per_taker)
    index = np.empty(room, np.int64)
    taker = np.empty(room, np.int32)  # a part's own taker (numbers below 2**31: its takers' count)
    slack = np.empty(room, np.int64)
    heap_s = np.empty(max(per_taker, 1), np.int64)
    heap_j = np.empty(max(per_taker, 1), np.int64)
    improving = False
    m = 0
    slacks = np.empty(longest, np.int64)
    p = np.searchsorted(inside, start[0])  # the next network couple at or after the scan
    for i in range(takers):
        lo, hi = start[i], start[i + 1]
        bar = threshold - q_t[i]
        for j in range(lo, hi):  # branch-free, so it vectorises
            slacks[j - lo] = q_g[giver[j]] - factor * np.int64(value[j])
        c = 0
        for j in range(lo, hi):
            if slacks[j - lo] >= bar:
                continue
            while p < len(inside) and inside[p] < j:
                p += 1
            if p < len(inside) and inside[p] == j:
                continue
            s = slacks[j - lo] + q_t[i]
            improving = improving or s < base
            if c < per_taker:
                _heap_push(heap_s, heap_j, c, s, j)
                c += 1
            elif s < heap_s[0]:  # an equal slack comes later, so at a higher position: it stays out
                _heap_replace_top(heap_s, heap_j, c, s, j)
        order = np.argsort(heap_j[:c])
        for k in order:
            index[m], taker[m], slack[m] = heap_j[k], i, heap_s[k]
            m += 1
    # no copies: pages past m are resident only if malloc reused memory already touched (at 100k x 10k
    # the first pass lists ~3 M entering couples: a copy of the three columns was ~0.1 GB on the peak)
    return index[:m], taker[:m], slack[:m], improving


@njit(cache=True, nogil=True)
def _worse(s_a, j_a, s_b, j_b) -> bool:
    """(slack, position) a ranks after b."""
    return s_a > s_b or (s_a == s_b and j_a > j_b)


@njit(cache=True, nogil=True)
def _heap_push(heap_s, heap_j, size, s, j) -> None:
    """Into the heap of `size` entries, the worst (highest slack, then position) on top."""
    k = size
    while k > 0:
        parent = (k - 1) >> 1
        if not _worse(s, j, heap_s[parent], heap_j[parent]):
            break
        heap_s[k], heap_j[k] = heap_s[parent], heap_j[parent]
        k = parent
    heap_s[k], heap_j[k] = s, j


@njit(cache=True, nogil=True)
def _heap_replace_top(heap_s, heap_j, size, s, j) -> None:
    k = 0
    while True:
        child = 2 * k + 1
        if child >= size:
            break
        if child + 1 < size and _worse(heap_s[child + 1], heap_j[child + 1], heap_s[child], heap_j[child]):
            child += 1
        if not _worse(heap_s[child], heap_j[child], s, j):
            break
        heap_s[k], heap_j[k] = heap_s[child], heap_j[child]
        k = child
    heap_s[k], heap_j[k] = s, j


@njit(cache=True, nogil=True)
def first_cuts(start, giver, value, rows, top_k, sample, bin_width, givers, bins):
    """What the listing computes on the way (`listing_kernel.list_couples`), from stored couples:
    (each taker's top_k-th best value or 0, each giver's sampled value histogram, each giver's couples)."""
    takers = len(start) - 1
    taker_cut = np.zeros(takers, np.int64)
    giver_bins = np.zeros((givers, bins), np.int32)
    giver_count = np.zeros(givers, np.int64)
    for i in range(takers):
        if top_k > 0 and start[i + 1] - start[i] >= top_k:
            taker_cut[i] = np.sort(value[start[i]:start[i + 1]])[start[i + 1] - start[i] - top_k]
        for j in range(start[i], start[i + 1]):
            giver_count[giver[j]] += 1
            if rows[i] % sample == 0:
                giver_bins[giver[j], value[j] // bin_width] += 1
    return taker_cut, giver_bins, giver_count


@njit(cache=True, nogil=True)
def at_or_above(start, giver, value, bin_width, taker_cut, giver_cut):
    """Positions (ascending) of the stored couples of takers start.. whose value is at or above
    their taker's cut (a value) or whose value bin is at or above their giver's cut (a bin), in
    one pass (written into room for every couple of the range: the pages past the last one written
    are never touched; no flag per stored couple)."""
    picked = np.empty(start[-1] - start[0], np.int64)
    m = 0
    for i in range(len(start) - 1):
        for j in range(start[i], start[i + 1]):
            if value[j] >= taker_cut[i] or value[j] // bin_width >= giver_cut[giver[j]]:
                picked[m] = j
                m += 1
    return picked[:m].copy()


@njit(cache=True, nogil=True)
def per_giver(giver, givers):
    """Stored couples per giver (no 8-byte copy of the giver column, as bincount would make)."""
    counts = np.zeros(givers, np.int64)
    for j in range(len(giver)):
        counts[giver[j]] += 1
    return counts


@njit(cache=True, nogil=True)
def lowest_per_owner(owner, slack, limit, owners):
    """Positions (ascending) of each owner's limit[owner] lowest slacks, equal slacks in position
    order: a cut never lets a whole tie in (with unmatched mentees priced at 0, thousands of
    couples of one mentor can share a slack)."""
    count = np.zeros(owners + 1, np.int64)
    for k in range(len(owner)):
        count[owner[k] + 1] += 1
    first = np.cumsum(count)
    fill = first[:-1].copy()
    grouped = np.empty(len(owner), np.int64)  # positions grouped by owner, in position order
    for k in range(len(owner)):
        grouped[fill[owner[k]]] = k
        fill[owner[k]] += 1
    keep = np.zeros(len(owner), np.bool_)
    for o in range(owners):
        lo, hi, wanted = first[o], first[o + 1], limit[o]
        if hi - lo <= wanted:
            for k in range(lo, hi):
                keep[grouped[k]] = True
            continue
        values = np.empty(hi - lo, np.int64)
        for k in range(lo, hi):
            values[k - lo] = slack[grouped[k]]
        cut = np.partition(values, wanted - 1)[wanted - 1]
        ties = wanted
        for k in range(lo, hi):
            ties -= slack[grouped[k]] < cut
        for k in range(lo, hi):
            s = slack[grouped[k]]
            if s < cut or (s == cut and ties > 0):
                ties -= s == cut
                keep[grouped[k]] = True
    return np.flatnonzero(keep)
