"""The per-couple loop of candidate generation, compiled (numba): each taker against its bucket's
list of compatible givers, checked against the couple's own rules and scored, in one pass.

It computes exactly what `couples.py` does for a list of couples, in the same floating-point order
(the skill dot products are sums of small integers, exact in any order; then float64 division,
weighting, the two bucket-pair terms, scaling and rounding half to even), so a couple gets the same
integer utility here as in continuous pairing and in the tests' scalar reference. numpy's version
of this loop cost ~150 ns a couple (index arrays and gathers for every column); this one ~20 ns.
Compiled once per machine (`cache=True`: the machine code is kept in __pycache__).
"""

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, fastmath={"reassoc"})
def _dot(a, b) -> float:
    """Sums of small integers (wish x level, 0/1): exact in any order, so it may be vectorised."""
    total = np.float32(0.0)
    for k in range(a.shape[0]):
        total += a[k] * b[k]
    return total


@njit(cache=True, nogil=True)
def list_couples(rows_t, bucket_of, list_start, listed, pair_of, g_rows, seniority, both, rank, manager, code,
                 department, learn, teach, wants, need, excluded, n, any_both, reporting, same_department,
                 w_complementarity, overlap, zone, scale, counts, giver_out, value_out, used):
    """Lists takers `rows_t` (round rows), taker i against
    listed[list_start[bucket_of[i]]:list_start[bucket_of[i] + 1]]: its feasible couples' giver
    positions and values written from `used` on, their number into counts[i]; returns the new end."""
    m = used
    n_excluded = len(excluded)
    for i in range(len(rows_t)):
        t = rows_t[i]
        k = bucket_of[i]
        need_t = max(need[t], 1.0)
        for j in range(list_start[k], list_start[k + 1]):
            position = listed[j]
            g = g_rows[position]
            cross = False
            if any_both:  # not one's own counterpart; a cross pair listed once (the junior gives)
                if t == g:
                    continue
                cross = both[t] and both[g]
                if cross and not rank[g] < rank[t]:
                    continue
            if n_excluded:
                key = g * n + t
                at = min(np.searchsorted(excluded, key), n_excluded - 1)
                if excluded[at] == key:
                    continue
            if cross:  # two `both` participants: each must teach a topic the other wishes
                if not (_dot(wants[t], teach[g]) > 0 and _dot(teach[t], wants[g]) > 0):
                    continue
            elif not seniority[g] < seniority[t]:
                continue
            if reporting and not (manager[t] != code[g] and manager[g] != code[t]
                                  and (manager[t] < 0 or manager[t] != manager[g])):
                continue
            if same_department and not (department[t] < 0 or department[t] != department[g]):
                continue
            share = np.float64(_dot(learn[t], teach[g])) / need_t
            if cross:
                share = (share + np.float64(_dot(learn[g], teach[t])) / max(need[g], 1.0)) / 2
            score = w_complementarity * share
            score += overlap[pair_of[j]]
            score += zone[pair_of[j]]
            score *= scale
            giver_out[m] = position
            value_out[m] = np.int16(np.rint(score) + 1)
            counts[i] += 1
            m += 1
    return m


@njit(cache=True, nogil=True)
def entering(start, giver, value, q_t, q_g, factor, threshold, inside, per_taker, base):
    """The certificate's scan over every stored couple: of those absent from the network whose
    slack q_t + q_g - factor x value is below `threshold` (priced in, or close to it), each taker's
    `per_taker` lowest (equal slacks: the lower position first). Returns (positions ascending,
    their takers, their slacks, whether any entering couple's slack is below `base`)."""
    takers = len(start) - 1
    longest = 0
    for i in range(takers):
        longest = max(longest, start[i + 1] - start[i])
    room = min(len(value), takers * per_taker)
    index = np.empty(room, np.int64)
    taker = np.empty(room, np.int64)
    slack = np.empty(room, np.int64)
    seen_j = np.empty(longest, np.int64)
    seen_s = np.empty(longest, np.int64)
    improving = False
    m = 0
    for i in range(takers):
        qt = q_t[i]
        c = 0
        for j in range(start[i], start[i + 1]):
            s = qt + q_g[giver[j]] - factor * value[j]
            if s < threshold and not inside[j]:
                seen_j[c] = j
                seen_s[c] = s
                c += 1
                improving = improving or s < base
        cut, ties = threshold, 0  # keep all
        if c > per_taker:  # the per_taker-th lowest slack; of those equal to it, the first ones
            cut = np.partition(seen_s[:c].copy(), per_taker - 1)[per_taker - 1]
            ties = per_taker
            for k in range(c):
                ties -= seen_s[k] < cut
        for k in range(c):
            if seen_s[k] < cut or (seen_s[k] == cut and ties > 0):
                ties -= seen_s[k] == cut
                index[m], taker[m], slack[m] = seen_j[k], i, seen_s[k]
                m += 1
    return index[:m].copy(), taker[:m].copy(), slack[:m].copy(), improving


@njit(cache=True, nogil=True)
def value_histograms(start, giver, value, bin_width, givers, bins):
    """Stored couples per (taker, value bin) and per (giver, value bin)."""
    takers = len(start) - 1
    per_taker = np.zeros((takers, bins), np.int64)
    per_giver = np.zeros((givers, bins), np.int64)
    for i in range(takers):
        for j in range(start[i], start[i + 1]):
            k = value[j] // bin_width
            per_taker[i, k] += 1
            per_giver[giver[j], k] += 1
    return per_taker, per_giver


@njit(cache=True, nogil=True)
def at_or_above(start, giver, value, bin_width, taker_cut, giver_cut):
    """Per stored couple: is its value bin at or above its taker's cut or its giver's."""
    picked = np.zeros(len(value), np.bool_)
    for i in range(len(start) - 1):
        for j in range(start[i], start[i + 1]):
            k = value[j] // bin_width
            picked[j] = k >= taker_cut[i] or k >= giver_cut[giver[j]]
    return picked


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
