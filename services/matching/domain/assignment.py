"""An optimal assignment of a bipartite network by an auction (compiled, numba), tried before
OR-Tools' min-cost flow (`network.py`), which stays the fallback. At 100,000 x 10,000 on the cross
generator it solves each network of the certificate loop in 0.6-1.0 s against 2.1-3.3 s.

Each taker (one unit) takes a seat of a giver or keeps out (its outside option: 0, or minus its
penalty when it must be matched). A giver's seats are similar objects at one price: 0 while one
is free, else the lowest bid its holders made. A giver with a must-match bonus is two objects: its
first seat (worth the bonus more) and the rest.

Values are multiplied by K = takers + 1 and the forward auction (a taker bids for its best object,
raising the price by the gap to its second best plus eps) runs phases with eps falling by THETA
down to 1 (Bertsekas' eps-scaling), prices kept from phase to phase. A phase starts by sending back
to bidding every taker more than eps from its best, and ends with reverse bids (Bertsekas' reverse
auction): an object with a free seat above price 0 lowers its price to win the taker that gains
most from it, so that in the end no free seat costs anything. At eps 1 phases repeat until one
moves nobody.

Proof, checked and not assumed: with these prices, each taker's profit at its best option plus
every seat's price (the dual) exceeds the assignment's value (the primal) by the duality gap.
Both are whole multiples of K in scaled units, so a gap below K proves the assignment optimal
(weak duality); anything else (a free seat above 0, a gap of K or more, the bid budget spent, values
too large for int64) returns None and the flow solver decides. `network.py` then checks the
accepted flow once more against its own potentials.
"""

import numpy as np
from numba import njit

THETA = 6  # eps falls by this factor between phases
BIDS_PER_TAKER = 400  # the budget over all phases (~14 a taker at 100,000 x 10,000); beyond it the flow solver decides
WARM_EPS = 8  # from a previous pass's prices: the first increment, in original units
LIMIT = 1 << 62  # scaled values and their sums stay below this (int64)


@njit(cache=True, nogil=True)
def _auction(start, obj, val, capacity, outside, eps, theta, budget, r_start, r_taker, r_option, scale, price):
    """Takers 0..len(start)-2; taker t's options are obj/val[start[t]:start[t + 1]] (object, scaled
    value); r_*: the same options by object (r_taker/r_option[r_start[o]:r_start[o + 1]]). Returns
    (each taker's option index or -1, certified): certified is False when the budget ran out or
    the duality gap is not below `scale` (one unit of the original values). `price`: each object's
    starting price (full: its lowest bid; else the price of its free seats), updated in place."""
    n_t = len(start) - 1
    seat_start, holder, bid_of, held, chosen, seat_of = empty_seats(capacity, n_t)
    queue = np.empty(n_t, np.int64)  # circular: a taker is in it at most once
    bids = 0
    while True:
        head, size = 0, 0
        for t in range(n_t):  # takers no longer within eps of their best leave their seat
            best = best_two(t, start, obj, val, capacity, price, outside)[0]
            own = outside[t] if chosen[t] < 0 else val[chosen[t]] - price[obj[chosen[t]]]
            if best <= own + eps:
                continue
            if chosen[t] >= 0:
                _leave(t, obj[chosen[t]], seat_start, holder, bid_of, held, seat_of)
                chosen[t] = -1
            queue[size] = t
            size += 1
        settled = size == 0  # at eps 1: a phase that finds nobody to move ends the auction
        while size:
            t = queue[head]
            head = (head + 1) % n_t
            size -= 1
            best, second, pick = best_two(t, start, obj, val, capacity, price, outside)
            if pick < 0:
                continue  # keeps out
            bids += 1
            if bids > budget:
                return chosen, False
            out = take_seat(t, pick, obj[pick], price[obj[pick]] + best - second + eps, capacity, seat_start, holder,
                        bid_of, held, price, chosen, seat_of)
            if out >= 0:
                queue[(head + size) % n_t] = out
                size += 1
        before = bids
        bids = _reverse(obj, val, capacity, outside, eps, r_start, r_taker, r_option, seat_start, holder,
                        bid_of, held, price, chosen, seat_of, bids, budget)
        if bids > budget:
            return chosen, False
        if eps == 1 and settled and bids == before:
            break
        eps = max(1, eps // theta)
    return chosen, _gap(start, obj, val, capacity, outside, held, price, chosen) < scale


@njit(cache=True, nogil=True)
def _reverse(obj, val, capacity, outside, eps, r_start, r_taker, r_option, seat_start, holder, bid_of, held,
             price, chosen, seat_of, bids, budget):
    """Reverse bids (Bertsekas' reverse auction), ending a phase: an object with a free seat above
    price 0 lowers it to win the taker that gains most from it; the seat that taker leaves may need
    the same. No taker loses its seat, and each stays within eps of its best. Returns the bids."""
    n_o = len(capacity)
    pending = np.empty(n_o, np.int64)
    waiting = np.zeros(n_o, np.bool_)
    size = 0
    for o in range(n_o):
        if held[o] < capacity[o] and price[o] > 0:
            pending[size], waiting[o] = o, True
            size += 1
    head = 0
    while size:
        o = pending[head]
        head = (head + 1) % n_o
        size -= 1
        waiting[o] = False
        if held[o] == capacity[o] or price[o] == 0:
            continue
        first, second, pick, t = np.int64(0), np.int64(0), -1, -1  # gains over each taker's profit (floor 0)
        for r in range(r_start[o], r_start[o + 1]):
            u, k = r_taker[r], r_option[r]
            if chosen[u] >= 0 and obj[chosen[u]] == o:
                continue
            profit = outside[u] if chosen[u] < 0 else val[chosen[u]] - price[obj[chosen[u]]]
            gain = val[k] - profit
            if gain > first:
                first, second, pick, t = gain, first, k, u
            elif gain > second:
                second = gain
        if pick < 0:
            price[o] = 0  # no taker gains from it at any price: free at 0
            continue
        bids += 1
        if bids > budget:
            return bids
        left = -1 if chosen[t] < 0 else obj[chosen[t]]
        if left >= 0:
            _leave(t, left, seat_start, holder, bid_of, held, seat_of)
        price[o] = max(0, second - eps)
        for j in range(seat_start[o], seat_start[o] + held[o]):  # its seats alike: none dearer than the new one
            bid_of[j] = min(bid_of[j], price[o])
        take_seat(t, pick, o, price[o], capacity, seat_start, holder, bid_of, held, price, chosen, seat_of)
        for again in (o, left):
            if again >= 0 and not waiting[again] and held[again] < capacity[again] and price[again] > 0:
                pending[(head + size) % n_o], waiting[again] = again, True
                size += 1
    return bids


@njit(cache=True, nogil=True)
def best_two(t, start, obj, val, capacity, price, outside):
    """Taker t's best and second best net value (value minus its object's price; the outside option
    counts for both) and the option of the best (-1: keeping out is best)."""
    best, second, pick = outside[t], outside[t], -1
    for k in range(start[t], start[t + 1]):
        o = obj[k]
        if capacity[o] < 1:
            continue  # no seat to bid for
        net = val[k] - price[o]
        if net > best:
            best, second, pick = net, best, k
        elif net > second:
            second = net
    return best, second, pick


@njit(cache=True, nogil=True)
def empty_seats(capacity, n_t):
    """Objects' seats, all free: (each object's first seat, each seat's holder, its bid, seats held
    per object, each taker's option held, its seat); -1 for none."""
    n_o = len(capacity)
    seat_start = np.zeros(n_o + 1, np.int64)
    for o in range(n_o):
        seat_start[o + 1] = seat_start[o] + capacity[o]
    return (seat_start, np.full(seat_start[n_o], -1, np.int64), np.zeros(seat_start[n_o], np.int64),
            np.zeros(n_o, np.int64), np.full(n_t, -1, np.int64), np.full(n_t, -1, np.int64))


@njit(cache=True, nogil=True)
def take_seat(t, k, o, bid, capacity, seat_start, holder, bid_of, held, price, chosen, seat_of):
    """Taker t takes a seat of object o with this bid (a free one, else the lowest bid's, whose
    holder it returns; -1 when none lost its seat)."""
    first, end = seat_start[o], seat_start[o + 1]
    out = -1
    if held[o] < capacity[o]:
        s = first + held[o]
        held[o] += 1
    else:
        s = first
        for j in range(first, end):
            if bid_of[j] < bid_of[s]:
                s = j
        out = holder[s]
        chosen[out], seat_of[out] = -1, -1
    holder[s], bid_of[s] = t, bid
    chosen[t], seat_of[t] = k, s
    if held[o] == capacity[o]:
        lowest = bid_of[first]
        for j in range(first, end):
            lowest = min(lowest, bid_of[j])
        price[o] = lowest
    return out


@njit(cache=True, nogil=True)
def _leave(t, o, seat_start, holder, bid_of, held, seat_of):
    """Taker t leaves its seat of object o (its seats stay packed at the front). The object's price
    is kept: it prices the free seat until a bid or a reverse bid changes it."""
    s, last = seat_of[t], seat_start[o] + held[o] - 1
    holder[s], bid_of[s] = holder[last], bid_of[last]
    seat_of[holder[s]] = s
    holder[last] = -1
    held[o] -= 1
    seat_of[t] = -1


@njit(cache=True, nogil=True)
def _gap(start, obj, val, capacity, outside, held, price, chosen):
    """Dual minus primal value, scaled, with every seat of an object at the object's price (a full
    one's lowest bid; one with a free seat must be at 0, else no proof): each taker's profit at its
    best option plus every seat's price, against the assignment's value. Below one original unit
    it proves the assignment optimal (weak duality; both are multiples of the unit)."""
    gap = 0
    for t in range(len(start) - 1):
        best = best_two(t, start, obj, val, capacity, price, outside)[0]
        if chosen[t] < 0:
            gap += best - outside[t]
        else:
            gap += best + price[obj[chosen[t]]] - val[chosen[t]]
    for o in range(len(capacity)):
        if price[o] > 0 and held[o] < capacity[o]:
            return np.iinfo(np.int64).max  # a free seat above 0: not a proof
    return gap


def assign(n_takers: int, tail: np.ndarray, head: np.ndarray, value: np.ndarray, capacity: np.ndarray,
           penalty: np.ndarray, bonus: np.ndarray, start_price: np.ndarray | None = None) -> np.ndarray | None:
    """Couples (taker `tail`, giver `head`, `value`) of takers with one unit each: 1 for each couple
    of an optimal assignment, else 0; None when no optimal one was proven. `start_price`: a guess of
    each giver's price (the previous pass's), from which the auction starts with a small increment."""
    n_g = len(capacity)
    scale = n_takers + 1
    split = (bonus > 0) & (capacity > 1)  # first seat apart: it alone earns the bonus
    rest = np.where(split, n_g + np.cumsum(split) - 1, -1)
    obj_capacity = np.concatenate([np.where(split, 1, capacity), capacity[split] - 1]).astype(np.int64)
    both = split[head]
    arc = np.concatenate([np.arange(len(tail)), np.flatnonzero(both)])
    objects = np.concatenate([head, rest[head[both]]])  # a giver's first (or only) object is itself
    extra = np.concatenate([bonus[head], np.zeros(int(both.sum()), np.int64)])
    largest = int(np.abs(value).max(initial=0)) + int(bonus.max(initial=0)) + int(penalty.max(initial=0))
    if largest >= LIMIT // scale // 4:
        return None  # scaled by `scale`, the values would not fit the auction's integers
    scaled = (value[arc].astype(np.int64) + extra) * scale
    order = np.lexsort((arc, tail[arc]))  # by taker; a taker's options in couple order (deterministic)
    arc, objects, scaled = arc[order], objects[order], scaled[order]
    start = np.searchsorted(tail[arc], np.arange(n_takers + 1))
    outside = -penalty.astype(np.int64) * scale
    top = int(max(scaled.max(initial=1), 1) - min(outside.min(initial=0), 0))
    if top * (n_takers + 2) >= LIMIT:  # the duality gap's sum could overflow: the flow solver decides
        return None
    taker = np.repeat(np.arange(n_takers), np.diff(start))
    by_object = np.argsort(objects, kind="stable")
    r_start = np.searchsorted(objects[by_object], np.arange(len(obj_capacity) + 1))
    price = np.zeros(len(obj_capacity), np.int64)
    eps = max(1, top // THETA)
    if start_price is not None:
        guessed = np.clip(start_price.astype(np.int64), 0, largest) * scale
        price[:n_g], price[n_g:] = guessed, guessed[split]
        eps = max(1, min(eps, WARM_EPS * scale))
    chosen, certified = _auction(start, objects, scaled, obj_capacity, outside, eps, THETA,
                                 BIDS_PER_TAKER * max(n_takers, 1), r_start, taker[by_object], by_object, scale, price)
    if not certified:
        return None
    used = np.zeros(len(tail), np.int64)
    used[arc[chosen[chosen >= 0]]] = 1
    return used
