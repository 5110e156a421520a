"""The per-couple loop of candidate generation, compiled (numba): each taker against its bucket's
list of compatible givers, checked against the couple's own rules and scored, in one pass.

It computes exactly what `couples.py` does for a list of couples, in the same floating-point order
(the skill dot products are sums of small whole numbers, exact in any order; then float64 division,
weighting, the two bucket-pair terms, scaling and rounding half to even), so a couple gets the same
integer utility here as in continuous pairing and in the tests' scalar reference. numpy's version
of this loop cost ~150 ns a couple (index arrays and gathers for every column). The skill rows are
bit sets (`skill_bits`): a dot product is a few AND and popcount instructions per 64 columns
instead of a multiply-add per column (48 at 12 topics), and the sampled value histogram is counted
after each taker's loop, not in it: the listing's loop took 8.6-11.8 s of CPU instead of 11.3-13.4 s
for the 279 M couples of 100,000 x 10,000 on the cross generator (alternated, the same minutes).
Compiled once per machine (`cache=True`: the machine code is kept in __pycache__).
"""

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

WORD = 64


def skill_bits(learn: np.ndarray, teach: np.ndarray, wants: np.ndarray) -> tuple[np.ndarray, ...]:
    """The skill matrices as bit sets over their columns, 64 to a word: `teach` and `wants` (0 or
    1 by construction, `roster.py`) one bit a column, `learn` (a wish, 0-4 by contract) one bit
    set per binary digit (plane p holds digit p), so learn . teach = sum_p 2^p popcount(plane_p &
    teach), the same whole number as the float dot product."""
    for name, m, top in (("learn", learn, 1 << 15), ("teach", teach, 1), ("wants", wants, 1)):
        if not ((m >= 0) & (m <= top) & (m == np.rint(m))).all():
            raise ValueError(f"skill matrix {name} must hold whole numbers 0..{top}")
    width = learn.shape[1]
    words = max(1, -(-width // WORD))
    digits = learn.astype(np.int64)
    planes = max(1, int(digits.max(initial=0)).bit_length())
    learn_bits = np.stack([_packed((digits >> p) & 1, words) for p in range(planes)], axis=1)
    return learn_bits, _packed(teach.astype(np.int64), words), _packed(wants.astype(np.int64), words)


def _packed(bits: np.ndarray, words: int) -> np.ndarray:
    """(n, columns) of 0/1 -> (n, words) uint64, column c at bit c % 64 of word c // 64."""
    packed = np.packbits(bits.astype(bool), axis=1, bitorder="little")
    padded = np.zeros((len(bits), words * 8), np.uint8)
    padded[:, :packed.shape[1]] = packed
    return padded.view("<u8").astype(np.uint64)


@intrinsic
def _popcount(typingctx, x):
    if not isinstance(x, types.Integer) or x.bitwidth != 64:
        return None

    def codegen(context, builder, signature, args):
        return builder.call(builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)]), args)

    return types.uint64(types.uint64), codegen


@njit(cache=True, nogil=True)
def _dot(planes, i, bits, j) -> int:
    """learn . teach of one couple: learner i's bit planes against teacher j's bits."""
    total = 0
    for p in range(planes.shape[1]):
        for w in range(bits.shape[1]):
            total += np.int64(_popcount(planes[i, p, w] & bits[j, w])) << p
    return total


@njit(cache=True, nogil=True)
def _meets(a, i, b, j) -> bool:
    """Row i of a and row j of b share a column (wants . teach > 0)."""
    for w in range(a.shape[1]):
        if a[i, w] & b[j, w]:
            return True
    return False


@njit(cache=True, nogil=True)
def list_couples(rows_t, bucket_of, pair_start, pair_bucket, g_first, g_size, g_rows, seniority, both, rank, manager,
                 code, department, learn, teach, wants, need, givers, excluded, n, any_both, reporting,
                 same_department, w_complementarity, overlap, zone, scale, counts, giver_out, value_out, used,
                 top_k, taker_cut, sample, bin_width, giver_bins, giver_count):
    """Lists takers `rows_t` (round rows), taker i against the givers of its bucket's compatible giver
    buckets: pairs pair_start[bucket_of[i]]..pair_start[bucket_of[i] + 1], pair p's givers being
    positions g_first[b]..g_first[b] + g_size[b] for b = pair_bucket[p] (contiguous: read as
    ranges, never written out per giver). Its feasible couples' giver positions and values are
    written from `used` on, their number into counts[i]; returns the new end. For the first
    network's thresholds, without a second pass over the couples: taker_cut[i], the value of taker
    i's `top_k`-th best couple (0 when it has fewer), and per giver its couples (`giver_count`) and
    the value histogram (bins of `bin_width`) of its couples with the takers whose row is a
    multiple of `sample` (a full histogram's scattered increments cost as much as the rest of the
    loop). `givers`: the same columns (seniority .. need) for
    the givers, by position (a bucket's givers are adjacent there: the listing reads them in order,
    not scattered over every round row)."""
    g_seniority, g_both, g_rank, g_manager, g_code, g_department, g_learn, g_teach, g_wants, g_need = givers
    m = used
    n_excluded = len(excluded)
    best = np.zeros(max(top_k, 1), np.int16)  # the taker's top_k best values so far, ascending
    for i in range(len(rows_t)):
        t = rows_t[i]
        k = bucket_of[i]
        need_t = max(need[t], 1.0)
        sampled = t % sample == 0
        best[:] = 0
        for pair in range(pair_start[k], pair_start[k + 1]):
            b = pair_bucket[pair]
            for position in range(g_first[b], g_first[b] + g_size[b]):
                g = g_rows[position]
                cross = False
                if any_both:  # not one's own counterpart; a cross pair listed once (the junior gives)
                    if t == g:
                        continue
                    cross = both[t] and g_both[position]
                    if cross and not g_rank[position] < rank[t]:
                        continue
                if n_excluded:
                    key = g * n + t
                    at = min(np.searchsorted(excluded, key), n_excluded - 1)
                    if excluded[at] == key:
                        continue
                if cross:  # two `both` participants: each must teach a topic the other wishes
                    if not (_meets(wants, t, g_teach, position) and _meets(teach, t, g_wants, position)):
                        continue
                elif not g_seniority[position] < seniority[t]:
                    continue
                if reporting and not (manager[t] != g_code[position] and g_manager[position] != code[t]
                                      and (manager[t] < 0 or manager[t] != g_manager[position])):
                    continue
                if same_department and not (department[t] < 0 or department[t] != g_department[position]):
                    continue
                share = np.float64(_dot(learn, t, g_teach, position)) / need_t
                if cross:
                    share = (share + np.float64(_dot(g_learn, position, teach, t)) / max(g_need[position], 1.0)) / 2
                score = w_complementarity * share
                score += overlap[pair]
                score += zone[pair]
                score *= scale
                v = np.int16(np.rint(score) + 1)
                giver_out[m] = position
                value_out[m] = v
                if v > best[0]:
                    _push(best, v)
                giver_count[position] += 1
                counts[i] += 1
                m += 1
        if sampled:  # after the taker's loop, not in it: a store there held the whole loop back (~20 %)
            for j in range(m - counts[i], m):
                giver_bins[giver_out[j], value_out[j] // bin_width] += 1
        taker_cut[i] = best[0] if top_k > 0 and counts[i] >= top_k else 0
    return m


@njit(cache=True, nogil=True)
def _push(best, v):
    """Replaces the lowest of the ascending `best` by v (> best[0]), keeping it ascending."""
    k = 0
    while k + 1 < len(best) and best[k + 1] < v:
        best[k] = best[k + 1]
        k += 1
    best[k] = v


@njit(cache=True, nogil=True)
def bucket_lists(t_language, t_country, ka, t_offset, g_language, g_country, kb, g_offset, g_first, g_size,
                 g_language_start, languages, same_country, meet, minutes, w_availability, w_time_zone, saturating):
    """Per taker bucket (the arrays t_*, one entry a bucket), its compatible giver buckets one after
    the other (bucket pairs: taker bucket a's are pair_start[a]..pair_start[a + 1], pair p's giver
    bucket pair_bucket[p]), the givers it lists (per_bucket[a]), and per pair the availability and
    time-zone terms of the score (as `couples.py` computes them). Returns (pair_bucket, pair_start,
    per_bucket, overlap, zone). Giver buckets are sorted by language set, then country: those of
    set L are g_language_start[L]:g_language_start[L + 1], so a taker bucket visits only the ranges
    of the sets it shares a language with (`_ranges`: and its country's)."""
    n_t = len(t_language)
    pair_start = np.zeros(n_t + 1, np.int64)
    per_bucket = np.zeros(n_t, np.int64)
    ranges = np.empty((len(g_language_start), 2), np.int64)
    for a in range(n_t):
        pair_start[a + 1] = pair_start[a]
        for r in range(_ranges(a, t_language, t_country, g_country, g_language_start, languages, same_country,
                               ranges)):
            for b in range(ranges[r, 0], ranges[r, 1]):
                if meet[ka[a], kb[b]]:
                    pair_start[a + 1] += 1
                    per_bucket[a] += g_size[b]
    pairs = pair_start[n_t]
    pair_bucket = np.empty(pairs, np.int64)
    overlap = np.empty(pairs, np.float64)
    zone = np.empty(pairs, np.float64)
    p = 0
    for a in range(n_t):
        for r in range(_ranges(a, t_language, t_country, g_country, g_language_start, languages, same_country,
                               ranges)):
            for b in range(ranges[r, 0], ranges[r, 1]):
                if meet[ka[a], kb[b]]:
                    pair_bucket[p] = b
                    overlap[p] = w_availability * min(np.float64(minutes[ka[a], kb[b]]) / saturating, 1.0)
                    hours = abs(t_offset[a] - g_offset[b]) / 60.0
                    zone[p] = w_time_zone * (1.0 - min(hours, 12.0) / 12.0)
                    p += 1
    return pair_bucket, pair_start, per_bucket, overlap, zone


@njit(cache=True, nogil=True)
def _ranges(a, t_language, t_country, g_country, g_language_start, languages, same_country, out):
    """Into out[:n] (returns n), ascending: the ranges of giver buckets that taker bucket `a`
    shares a language with (and a country, when pairs stay within one)."""
    n = 0
    for language in range(len(g_language_start) - 1):
        lo, hi = g_language_start[language], g_language_start[language + 1]
        if lo == hi or not languages[t_language[a], language]:
            continue
        if same_country:
            country = g_country[lo:hi]
            lo, hi = lo + np.searchsorted(country, t_country[a]), lo + np.searchsorted(country, t_country[a], "right")
        if lo < hi:
            out[n, 0], out[n, 1] = lo, hi
            n += 1
    return n
